package io.vouch.chain;

import io.vouch.core.Bytes32;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * A local anvil node as a child process: the project's pinned binary (root {@code package.json}),
 * started on a free port, stopped on {@link #close()}. Used by the contract tests and by {@code
 * vouch devnet up}.
 *
 * <p>The binary is found, in order: the {@code VOUCH_ANVIL} environment variable, the {@code
 * vouch.anvil} system property, then {@code node_modules/@foundry-rs/anvil-<os>-<arch>/bin/anvil}
 * under the repository root ({@code vouch.root} system property, else the working directory and its
 * parents). Run {@code tools/ensure-node-tools.sh} to install it.
 */
public final class AnvilProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("Listening on ([0-9.]+):(\\d+)");
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("^\\(\\d+\\) (0x[0-9a-fA-F]{64})\\s*$");

  private final Process process;
  private final String rpcUrl;
  private final List<Bytes32> devKeys;
  private final Web3j web3j;
  private final List<String> output;

  private AnvilProcess(Process process, String rpcUrl, List<Bytes32> devKeys, List<String> output) {
    this.process = process;
    this.rpcUrl = rpcUrl;
    this.devKeys = List.copyOf(devKeys);
    this.output = output;
    this.web3j = Web3j.build(new HttpService(rpcUrl));
  }

  /**
   * Options of the anvil command line that Vouch uses.
   *
   * @param mixedMining with a block time: mine each transaction at once as well (anvil's {@code
   *     --mixed-mining}), so that transactions do not wait for the next interval block
   */
  public record Options(
      long chainId,
      int accounts,
      Optional<Integer> blockTimeSeconds,
      Optional<Long> gasLimit,
      boolean mixedMining) {
    public Options(
        long chainId, int accounts, Optional<Integer> blockTimeSeconds, Optional<Long> gasLimit) {
      this(chainId, accounts, blockTimeSeconds, gasLimit, false);
    }

    /** Automine (a block per transaction), chain id 31337, 10 funded dev accounts. */
    public static Options defaults() {
      return new Options(31337, 10, Optional.empty(), Optional.empty());
    }

    /** For load: a block per second and a large block gas limit (automine can stall under load). */
    public Options withBlockTime(int seconds, long blockGasLimit) {
      return new Options(chainId, accounts, Optional.of(seconds), Optional.of(blockGasLimit));
    }

    /**
     * A block every {@code seconds} besides one per transaction: time passes in blocks even when
     * nobody sends (a VerificationCourt's seed block arrives as on a live chain).
     */
    public Options withIntervalBlocks(int seconds) {
      return new Options(chainId, accounts, Optional.of(seconds), gasLimit, true);
    }

    public Options withChainId(long id) {
      return new Options(id, accounts, blockTimeSeconds, gasLimit, mixedMining);
    }
  }

  public static AnvilProcess start() {
    return start(Options.defaults());
  }

  public static AnvilProcess start(Options options) {
    return start(locateBinary(), options, Duration.ofSeconds(30));
  }

  public static AnvilProcess start(Path binary, Options options, Duration startupTimeout) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of("--host", "127.0.0.1", "--port", "0"));
    command.addAll(List.of("--chain-id", Long.toString(options.chainId())));
    command.addAll(List.of("--accounts", Integer.toString(options.accounts())));
    options.blockTimeSeconds().ifPresent(s -> command.addAll(List.of("--block-time", "" + s)));
    options.gasLimit().ifPresent(g -> command.addAll(List.of("--gas-limit", "" + g)));
    if (options.mixedMining() && options.blockTimeSeconds().isPresent()) {
      command.add("--mixed-mining");
    }

    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new ChainException("cannot start anvil at " + binary + ": " + e.getMessage(), e);
    }
    List<String> output = new CopyOnWriteArrayList<>();
    List<Bytes32> keys = new CopyOnWriteArrayList<>();
    CompletableFuture<String> listening = new CompletableFuture<>();
    // anvil blocks once its stdout pipe is full: keep draining it for the process's whole life.
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .name("anvil-stdout")
            .start(() -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (output.size() < 500) {
                    output.add(line);
                  }
                  Matcher key = PRIVATE_KEY.matcher(line);
                  if (key.matches() && !listening.isDone()) {
                    keys.add(Bytes32.fromHex(key.group(1)));
                  }
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    listening.complete("http://" + m.group(1) + ":" + m.group(2));
                  }
                }
              } catch (IOException ignored) {
                // the process ended; the waiter below reports it
              }
              listening.completeExceptionally(
                  new ChainException("anvil exited before listening; its output:\n" + output));
            });
    String url;
    try {
      url = listening.get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new ChainException(
          "anvil did not print 'Listening on' within " + startupTimeout + "; output:\n" + output);
    } catch (Exception e) {
      process.destroyForcibly();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw cause instanceof ChainException ce ? ce : new ChainException(cause.getMessage(), cause);
    }
    AnvilProcess anvil = new AnvilProcess(process, url, keys, output);
    anvil.awaitRpc(startupTimeout);
    reader.setName("anvil-stdout-" + url);
    return anvil;
  }

  /** The anvil binary this machine would use; see the class comment for the search order. */
  public static Path locateBinary() {
    String env = System.getenv("VOUCH_ANVIL");
    if (env != null && !env.isBlank()) {
      return existing(Path.of(env), "VOUCH_ANVIL");
    }
    String prop = System.getProperty("vouch.anvil");
    if (prop != null && !prop.isBlank()) {
      return existing(Path.of(prop), "system property vouch.anvil");
    }
    Path relative =
        Path.of("node_modules", "@foundry-rs", "anvil-" + platform(), "bin", executableName());
    List<Path> tried = new ArrayList<>();
    String root = System.getProperty("vouch.root");
    List<Path> starts = new ArrayList<>();
    if (root != null && !root.isBlank()) {
      starts.add(Path.of(root));
    }
    starts.add(Path.of("").toAbsolutePath());
    for (Path start : starts) {
      for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
        Path candidate = dir.resolve(relative);
        tried.add(candidate);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new ChainException(
        "anvil binary not found (looked for "
            + relative
            + " above "
            + starts
            + "). Run 'bash tools/ensure-node-tools.sh' in the repository root, or set VOUCH_ANVIL"
            + " to an anvil binary.");
  }

  private static Path existing(Path p, String source) {
    if (!Files.isExecutable(p)) {
      throw new ChainException(source + " points to " + p + ", which is not an executable file");
    }
    return p;
  }

  private static String platform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String o = os.contains("mac") ? "darwin" : os.contains("win") ? "win32" : "linux";
    String a = arch.contains("aarch64") || arch.contains("arm64") ? "arm64" : "amd64";
    return o + "-" + a;
  }

  private static String executableName() {
    return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win")
        ? "anvil.exe"
        : "anvil";
  }

  private void awaitRpc(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < end) {
      try {
        web3j.ethChainId().send();
        return;
      } catch (Exception e) {
        last = e;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new ChainException("anvil at " + rpcUrl + " never answered JSON-RPC: " + last, last);
  }

  public String rpcUrl() {
    return rpcUrl;
  }

  /** A client for this node (owned by this object: closed with it). */
  public Web3j web3j() {
    return web3j;
  }

  /** The private keys of the funded dev accounts, as anvil printed them. */
  public List<Bytes32> devKeys() {
    return devKeys;
  }

  public long chainId() {
    try {
      return web3j.ethChainId().send().getChainId().longValueExact();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Moves the chain's clock forward; the next block gets the new time. */
  public void increaseTime(long seconds) {
    rpc("evm_increaseTime", List.of(seconds));
  }

  /** Mines one block now. */
  public void mine() {
    rpc("evm_mine", List.of());
  }

  /** Mines {@code blocks} blocks now (one second apart). */
  public void mine(long blocks) {
    rpc("anvil_mine", List.of("0x" + Long.toHexString(blocks)));
  }

  /** Saves the chain state; returns an id for {@link #revertTo}. */
  public String snapshot() {
    return String.valueOf(rpc("evm_snapshot", List.of()));
  }

  /** Restores a snapshot (each snapshot can be restored once). */
  public void revertTo(String snapshotId) {
    Object ok = rpc("evm_revert", List.of(snapshotId));
    if (!Boolean.TRUE.equals(ok)) {
      throw new ChainException("anvil refused to revert to snapshot " + snapshotId);
    }
  }

  /** Gives an account a balance (dev chains only). */
  public void setBalance(io.vouch.core.Address account, BigInteger wei) {
    rpc("anvil_setBalance", List.of(account.toHex(), "0x" + wei.toString(16)));
  }

  private Object rpc(String method, List<?> params) {
    try {
      RawResponse r =
          new Request<>(method, params, new HttpService(rpcUrl), RawResponse.class).send();
      if (r.hasError()) {
        throw new ChainException(method + " failed: " + r.getError().getMessage());
      }
      return r.getResult();
    } catch (IOException e) {
      throw new UncheckedIOException(method + " to " + rpcUrl, e);
    }
  }

  /** A JSON-RPC response whose result is kept as parsed JSON. */
  public static final class RawResponse extends Response<Object> {}

  /** Stops anvil (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  @Override
  public void close() {
    web3j.shutdown();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The first lines anvil printed (for diagnostics). */
  public List<String> output() {
    return List.copyOf(output);
  }

  @Override
  public String toString() {
    return "anvil at " + rpcUrl + (process.isAlive() ? "" : " (stopped)");
  }
}
