package io.vouch.cli.devnet;

import io.vouch.chain.AnvilProcess;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.hub.http.HubServer;
import io.vouch.hub.http.HubServerConfig;
import io.vouch.hub.repo.ModelRepository;
import io.vouch.hub.store.FileContentStore;
import io.vouch.node.tee.TeeProfile;
import io.vouch.tee.dev.DevRootAuthority;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The process behind {@code vouch devnet up}: owns anvil, the deployed contracts, the model hub and
 * the node processes, writes {@code devnet.json} when all are ready, and tears everything down in
 * reverse order when it is asked to stop (SIGTERM from {@code vouch devnet down}).
 */
public final class DevnetSupervisor implements AutoCloseable {
  /** Dev key 0 deploys, 1 is the demo user, 2.. are the nodes. */
  static final int FIRST_NODE_KEY = 2;

  private final Path dir;
  private final int nodeCount;
  private final Duration challengeWindow;
  private final Consumer<String> progress;
  private final List<Process> nodeProcesses = new ArrayList<>();
  private final List<ProcessBuilder> nodeLaunchers = new ArrayList<>();
  private AnvilProcess anvil;
  private HubServer hub;
  private final CountDownLatch stop = new CountDownLatch(1);
  private boolean tee;
  private volatile boolean closing;

  /** Where a TEE devnet keeps its shared development enclave root (with private keys). */
  public static Path teeDevRootFile(Path dir) {
    return dir.resolve("tee-dev-root.pem");
  }

  /**
   * Runs every node with the development TEE profile: the supervisor generates one DEV-ONLY enclave
   * root, writes it (private keys included: development only) to {@link #teeDevRootFile}, allows
   * the development node measurement on the NodeRegistry as governance (the deployer), and starts
   * the nodes with {@code --tee dev --tee-dev-root}.
   */
  public DevnetSupervisor withTee(boolean on) {
    this.tee = on;
    return this;
  }

  public DevnetSupervisor(
      Path dir, int nodeCount, Duration challengeWindow, Consumer<String> progress) {
    this.dir = dir;
    this.nodeCount = nodeCount;
    this.challengeWindow = challengeWindow;
    this.progress = progress;
  }

  public DevnetState start() throws Exception {
    Files.createDirectories(dir);
    clearPreviousChain();
    progress.accept("starting anvil");
    anvil = AnvilProcess.start();
    List<Bytes32> keys = anvil.devKeys();
    if (keys.size() < FIRST_NODE_KEY + nodeCount) {
      throw new IllegalStateException(
          "anvil offers "
              + keys.size()
              + " funded accounts; at most "
              + (keys.size() - 2)
              + " nodes");
    }
    progress.accept("deploying contracts");
    TransactionSender deployer = TransactionSender.create(anvil.web3j(), keys.get(0));
    VouchDeployment deployment =
        VouchDeployment.deploy(
            deployer,
            VouchDeployment.Parameters.devnet().withChallengeWindow(challengeWindow.toSeconds()));
    deployment.writeTo(DevnetState.deploymentFile(dir));
    if (tee) {
      progress.accept(
          "TEE (development simulator): writing the dev enclave root, allowing its measurement");
      DevRootAuthority.generate(Instant.now()).writeTo(teeDevRootFile(dir));
      deployment.nodeRegistry(deployer).allowMeasurement(TeeProfile.devMeasurement()).send();
    }

    progress.accept("starting the model hub");
    Path hubDir = dir.resolve("hub");
    hub =
        HubServer.start(
            ModelRepository.onDisk(hubDir.resolve("index"), new FileContentStore(hubDir)),
            HubServerConfig.loopback());

    List<DevnetState.NodeProcess> nodes = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      Bytes32 key = keys.get(FIRST_NODE_KEY + i);
      String address = Secp256k1.KeyPair.fromPrivateKey(key).address().toHex();
      int port = freePort();
      Path log = dir.resolve("node-" + i + ".log");
      progress.accept("starting node " + (i + 1) + "/" + nodeCount + " (" + address + ")");
      List<String> teeArgs =
          tee
              ? List.of("--tee", "dev", "--tee-dev-root", teeDevRootFile(dir).toString())
              : List.of();
      ProcessBuilder launcher =
          new ProcessBuilder(
                  javaCommand(
                      teeArgs,
                      "node",
                      "run",
                      "--key",
                      key.toHex(),
                      "--rpc",
                      anvil.rpcUrl(),
                      "--deployment",
                      DevnetState.deploymentFile(dir).toString(),
                      "--model-hub",
                      hub.uri().toString(),
                      "--port",
                      String.valueOf(port),
                      "--price-wei",
                      "1000000000000000",
                      "--data-dir",
                      dir.resolve("node-" + i).toString()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Process p = launcher.start();
      watchExit(p, i);
      nodeLaunchers.add(launcher);
      nodeProcesses.add(p);
      nodes.add(
          new DevnetState.NodeProcess(
              address, "http://127.0.0.1:" + port, p.pid(), key.toHex(), log.toString()));
    }
    for (DevnetState.NodeProcess n : nodes) {
      awaitHealthy(n);
    }
    DevnetState state =
        new DevnetState(
            ProcessHandle.current().pid(),
            anvil.rpcUrl(),
            DevnetState.VouchDeploymentJson.of(deployment),
            hub.uri().toString(),
            keys.get(0).toHex(),
            keys.get(1).toHex(),
            nodes);
    state.write(dir);
    return state;
  }

  /**
   * Every start is a new chain: the node data folders (journal, receipt log, proofs), node logs,
   * model hub storage, deployment file and development enclave root of a previous run in this
   * folder belong to the old chain and are removed. A node's journal would otherwise resume from
   * the old chain's checkpoint (skipping the new chain's first blocks) and carry receipt numbers
   * over; the hub would refuse to store a model version the new registry has never seen. Only what
   * {@link #start} creates is removed.
   */
  private void clearPreviousChain() throws IOException {
    List<Path> old = new ArrayList<>();
    try (var entries = Files.list(dir)) {
      entries
          .filter(p -> p.getFileName().toString().matches("node-\\d+(\\.log)?"))
          .forEach(old::add);
    }
    old.add(dir.resolve("hub"));
    old.add(DevnetState.deploymentFile(dir));
    old.add(teeDevRootFile(dir));
    for (Path p : old) {
      deleteTree(p);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * Reports a node that exits while the devnet runs (a crash); not the ones {@link #close} stops.
   */
  private void watchExit(Process p, int i) {
    p.onExit()
        .thenAccept(done -> {
          if (!closing) {
            progress.accept(
                "node " + i + " (pid " + done.pid() + ") exited with " + done.exitValue());
          }
        });
  }

  /** Kills node {@code i} with SIGKILL, as a crash would: no shutdown hook, no cleanup. */
  public void killNode(int i) throws InterruptedException {
    Process p = nodeProcesses.get(i);
    p.destroyForcibly();
    p.waitFor();
  }

  /** Starts node {@code i} again with the same key, port and journal; returns its new pid. */
  public long restartNode(int i) throws IOException {
    Process p = nodeLaunchers.get(i).start();
    watchExit(p, i);
    nodeProcesses.set(i, p);
    return p.pid();
  }

  /** Blocks until {@link #requestStop()} (or the shutdown hook) is called. */
  public void awaitStop() throws InterruptedException {
    stop.await();
  }

  public void requestStop() {
    stop.countDown();
  }

  @Override
  public void close() {
    closing = true;
    for (Process p : nodeProcesses) {
      p.destroy();
    }
    for (Process p : nodeProcesses) {
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (hub != null) {
      hub.close();
    }
    if (anvil != null) {
      anvil.close();
    }
    try {
      Files.deleteIfExists(DevnetState.file(dir));
    } catch (IOException ignored) {
      // Left behind only if the folder itself went away.
    }
  }

  private void awaitHealthy(DevnetState.NodeProcess n) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 1200; i++) {
      Process p = nodeProcesses.get(indexOf(n));
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "node "
                + n.address()
                + " exited with "
                + p.exitValue()
                + " while starting; its log: "
                + n.log()
                + "\n"
                + tail(Path.of(n.log())));
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(n.url() + "/health"))
                    .timeout(Duration.ofSeconds(1))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Still starting.
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "node " + n.address() + " did not become healthy; see " + n.log());
  }

  private int indexOf(DevnetState.NodeProcess n) {
    for (int i = 0; i < nodeProcesses.size(); i++) {
      if (nodeProcesses.get(i).pid() == n.pid()) {
        return i;
      }
    }
    throw new IllegalArgumentException(n.toString());
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The command that runs {@code vouch ARGS} in a new JVM with this JVM's class path. */
  /** {@link #javaCommand(String...)} with {@code extra} arguments after {@code args}. */
  static List<String> javaCommand(List<String> extra, String... args) {
    List<String> cmd = javaCommand(args);
    cmd.addAll(extra);
    return cmd;
  }

  static List<String> javaCommand(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 24) {
      cmd.add(
          "--sun-misc-unsafe-memory-access=allow"); // protobuf-java; silences a warning per start
    }
    String root = System.getProperty("vouch.root");
    if (root != null) {
      cmd.add("-Dvouch.root=" + root);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.vouch.cli.VouchCommand");
    cmd.addAll(List.of(args));
    return cmd;
  }
}
