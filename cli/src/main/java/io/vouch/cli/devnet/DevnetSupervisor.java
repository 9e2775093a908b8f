package io.vouch.cli.devnet;

import io.vouch.chain.AnvilProcess;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.court.CourtClient;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The process behind {@code vouch devnet up}: owns anvil, the deployed contracts, the model hub and
 * the node processes, writes {@code devnet.json} when all are ready, and tears everything down in
 * reverse order when it is asked to stop (SIGTERM from {@code vouch devnet down}).
 *
 * <p>While it runs it watches its children. A node that exits on its own (a crash, {@code kill -9})
 * is started again with the same key, port and journal, after a pause that grows with each restart
 * ({@value #MAX_RESTARTS} at most; then it is left down and reported), and {@code devnet.json}
 * records the new pid, the restart count and the exit code. Anvil is not restarted: its chain lives
 * in its memory, so a new anvil would be an empty chain that the nodes' journals refuse; its exit
 * is recorded ({@link DevnetState#chainDown()}) and {@code vouch devnet status} reports it with the
 * fix (down, then up).
 */
public final class DevnetSupervisor implements AutoCloseable {
  /**
   * Dev key 0 deploys, 1 is the demo user, 2..9 are the nodes, 10 a second user, 11..18 the
   * validators, 19..21 the faulty nodes.
   */
  static final int FIRST_NODE_KEY = 2;

  static final int USER2_KEY = 10;

  static final int FIRST_VALIDATOR_KEY = 11;

  /** At most this many validators (and nodes). */
  static final int MAX_VALIDATORS = 8;

  /**
   * The devnet court's committee size and the validators it sits from (contracts/README.md,
   * "Verification"): a devnet runs 0 validators (no court) or at least this many.
   */
  public static final int DEVNET_COURT_VALIDATORS = 3;

  static final int FIRST_FAULTY_KEY = FIRST_VALIDATOR_KEY + MAX_VALIDATORS;

  /** At most this many faulty nodes. */
  public static final int MAX_FAULTY = 3;

  /** The share of requests a faulty node answers wrongly unless told otherwise. */
  public static final double DEFAULT_FAULTY_SHARE = 0.5;

  /**
   * Funded dev accounts: deployer, user, up to 8 nodes, a second user, up to 8 validators, up to 3
   * faulty nodes.
   */
  static final int ACCOUNTS = FIRST_FAULTY_KEY + MAX_FAULTY;

  /** How often a node that keeps exiting is restarted before it is left down. */
  static final int MAX_RESTARTS = 5;

  private final Path dir;
  private final int honestCount;
  private int nodeCount; // honest and faulty: the supervisor's numbering puts validators after
  private final Duration challengeWindow;
  private final Consumer<String> progress;
  private final List<Process> nodeProcesses = new ArrayList<>();
  private final List<ProcessBuilder> nodeLaunchers = new ArrayList<>();
  private AnvilProcess anvil;
  private HubServer hub;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Set<Integer> portsGiven = new HashSet<>(); // to its nodes and validators
  private final Set<Integer> held =
      new HashSet<>(); // stopped on purpose (killNode); guarded by this
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("devnet-watchdog").unstarted(r));
  private boolean tee;
  private int validatorCount;
  private int faultyCount;
  private double faultyShare = DEFAULT_FAULTY_SHARE;
  private volatile boolean closing;
  private volatile DevnetState state; // written to devnet.json once start() is done

  /**
   * Where a devnet keeps its shared development enclave root (with private keys): written by every
   * {@code devnet up}, since the validators judge enclave keys under it; TEE nodes attest under it.
   */
  public static Path teeDevRootFile(Path dir) {
    return dir.resolve("tee-dev-root.pem");
  }

  /**
   * Runs every node with the development TEE profile: the supervisor allows the development node
   * measurement on the NodeRegistry as governance (the deployer), and starts the nodes with {@code
   * --tee dev --tee-dev-root} and the DEV-ONLY enclave root it writes (private keys included:
   * development only) to {@link #teeDevRootFile} on every devnet.
   */
  public DevnetSupervisor withTee(boolean on) {
    this.tee = on;
    return this;
  }

  /**
   * Also starts {@code n} validator processes ({@code vouch node run --role validator}, 1 ETH of
   * stake each; the devnet's court sits from {@value #DEVNET_COURT_VALIDATORS}), and waits until
   * the court is in session. 0 (the default here) leaves the court out of session: results finalize
   * by their challenge window, checked by no one on chain.
   */
  public DevnetSupervisor withValidators(int n) {
    if (n != 0 && (n < DEVNET_COURT_VALIDATORS || n > MAX_VALIDATORS)) {
      throw new IllegalArgumentException(
          "validators must be 0 (no court) or "
              + DEVNET_COURT_VALIDATORS
              + " to "
              + MAX_VALIDATORS
              + " (the devnet's court sits from "
              + DEVNET_COURT_VALIDATORS
              + ", a full committee), got "
              + n);
    }
    this.validatorCount = n;
    return this;
  }

  /**
   * Also starts {@code n} faulty nodes: ordinary registered inference nodes ({@code vouch node run
   * --devnet-faulty-share SHARE}, keys after the validators') that answer {@code share} of their
   * VANILLA and ZKML requests with a wrong output, still signed (node/README.md, "Faulty devnet
   * nodes"). They come after the honest nodes in {@link DevnetState#nodes()}.
   */
  public DevnetSupervisor withFaultyNodes(int n, double share) {
    if (n < 0 || n > MAX_FAULTY) {
      throw new IllegalArgumentException("faulty nodes must be 0 to " + MAX_FAULTY + ", got " + n);
    }
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("the faulty share must be in (0, 1], got " + share);
    }
    this.faultyCount = n;
    this.faultyShare = share;
    this.nodeCount = honestCount + n;
    return this;
  }

  public DevnetSupervisor(
      Path dir, int nodeCount, Duration challengeWindow, Consumer<String> progress) {
    this.dir = dir;
    this.honestCount = nodeCount;
    this.nodeCount = nodeCount;
    this.challengeWindow = challengeWindow;
    this.progress = progress;
  }

  public DevnetState start() throws Exception {
    Files.createDirectories(dir);
    clearPreviousChain();
    progress.accept("starting anvil");
    AnvilProcess.Options defaults = AnvilProcess.Options.defaults();
    Set<Long> otherAnvils = anvilChildren(); // a test's JVM may run anvils of its own
    AnvilProcess.Options options =
        new AnvilProcess.Options(
            defaults.chainId(), ACCOUNTS, defaults.blockTimeSeconds(), defaults.gasLimit());
    // With validators, a block a second besides one per transaction: a court case's seed block
    // (the block after the submission) then arrives even when nobody sends.
    anvil = AnvilProcess.start(validatorCount > 0 ? options.withIntervalBlocks(1) : options);
    List<Bytes32> keys = anvil.devKeys();
    if (honestCount > USER2_KEY - FIRST_NODE_KEY || keys.size() < ACCOUNTS) {
      throw new IllegalStateException(
          "anvil offers "
              + keys.size()
              + " funded accounts; at most "
              + (USER2_KEY - FIRST_NODE_KEY)
              + " nodes");
    }
    progress.accept("deploying contracts");
    TransactionSender deployer = TransactionSender.create(anvil.web3j(), keys.get(0));
    VouchDeployment deployment =
        VouchDeployment.deploy(
            deployer,
            VouchDeployment.Parameters.devnet().withChallengeWindow(challengeWindow.toSeconds()));
    deployment.writeTo(DevnetState.deploymentFile(dir));
    // The development root is the anchor this deployment accepts enclave keys under: validators
    // need it to start (ValidatorAnchors), with or without TEE nodes.
    DevRootAuthority.generate(Instant.now()).writeTo(teeDevRootFile(dir));
    if (tee) {
      progress.accept(
          "TEE (development simulator): dev enclave root written, allowing its measurement");
      new NodeRegistryClient(deployer, deployment).allowMeasurement(TeeProfile.devMeasurement());
    }

    progress.accept("starting the model hub");
    Path hubDir = dir.resolve("hub");
    hub =
        HubServer.start(
            ModelRepository.onDisk(hubDir.resolve("index"), new FileContentStore(hubDir)),
            HubServerConfig.loopback());

    List<DevnetState.NodeProcess> nodes = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      boolean faulty = i >= honestCount;
      Bytes32 key = keys.get(faulty ? FIRST_FAULTY_KEY + (i - honestCount) : FIRST_NODE_KEY + i);
      String address = Secp256k1.KeyPair.fromPrivateKey(key).address().toHex();
      int port = newPort();
      Path log = dir.resolve("node-" + i + ".log");
      progress.accept(
          "starting "
              + (faulty
                  ? "FAULTY node "
                      + (i - honestCount + 1)
                      + "/"
                      + faultyCount
                      + " (wrong outputs for "
                      + Math.round(faultyShare * 100)
                      + " % of its requests)"
                  : "node " + (i + 1) + "/" + honestCount)
              + " ("
              + address
              + ")");
      List<String> teeArgs =
          tee
              ? List.of("--tee", "dev", "--tee-dev-root", teeDevRootFile(dir).toString())
              : List.of();
      List<String> args = new ArrayList<>(teeArgs);
      args.addAll(List.of("--price-wei", "1000000000000000"));
      if (faulty) {
        args.addAll(List.of("--devnet-faulty-share", Double.toString(faultyShare)));
      }
      DevnetState.NodeProcess n = launch(i, key, port, log, dir.resolve("node-" + i), args);
      nodes.add(faulty ? n.asFaulty(faultyShare) : n);
    }
    List<DevnetState.NodeProcess> validators = new ArrayList<>();
    for (int v = 0; v < validatorCount; v++) {
      Bytes32 key = keys.get(FIRST_VALIDATOR_KEY + v);
      String address = Secp256k1.KeyPair.fromPrivateKey(key).address().toHex();
      progress.accept(
          "starting validator " + (v + 1) + "/" + validatorCount + " (" + address + ")");
      validators.add(
          launch(
              nodeCount + v,
              key,
              newPort(),
              dir.resolve("validator-" + v + ".log"),
              dir.resolve("validator-" + v),
              // the validators approve enclave keys under the devnet's development root
              List.of("--role", "validator", "--tee-dev-root", teeDevRootFile(dir).toString())));
    }
    progress.accept(
        "waiting for the node"
            + (nodeCount == 1 ? "" : "s")
            + " to register with stake and answer /health");
    long waitStart = System.nanoTime();
    for (int i = 0; i < nodes.size(); i++) {
      awaitHealthy(
          nodes.get(i),
          i,
          waitStart,
          name(i) + "/" + (i < honestCount ? honestCount : faultyCount));
    }
    for (int v = 0; v < validators.size(); v++) {
      awaitHealthy(
          validators.get(v),
          nodeCount + v,
          waitStart,
          "validator " + (v + 1) + "/" + validatorCount);
    }
    CourtClient court = new CourtClient(deployer, deployment);
    if (validatorCount > 0) {
      progress.accept("waiting for the VerificationCourt to sit (validators registered)");
      awaitSession(court, nodes, validators);
      progress.accept(
          "VerificationCourt in session: "
              + validatorCount
              + " validators; VANILLA and ZKML requests are judged by committees of "
              + DEVNET_COURT_VALIDATORS);
    } else {
      progress.accept(
          "no validators: the VerificationCourt is not in session, so no court case is drawn;"
              + " VANILLA and ZKML results finalize after the challenge window, checked on chain by"
              + " no one");
    }
    if (tee && validatorCount > 0) {
      progress.accept(
          "waiting for the validators to approve the nodes' enclave keys (a committee verifies"
              + " each attestation document before the key may sign a TEE result)");
      NodeRegistryClient registry = NodeRegistryClient.readOnly(anvil.web3j(), deployment);
      for (DevnetState.NodeProcess n : nodes) {
        progress.accept(awaitEnclaveKey(registry, Address.fromHex(n.address()), nodes, validators));
      }
    } else if (tee) {
      progress.accept(
          "no validators: the nodes' enclave keys stay pending (a key becomes active only on a"
              + " committee's approval), so no node serves TEE; run the devnet with validators");
    }
    long anvilPid =
        anvilChildren().stream().filter(pid -> !otherAnvils.contains(pid)).findFirst().orElse(0L);
    DevnetState ready =
        new DevnetState(
            ProcessHandle.current().pid(),
            anvil.rpcUrl(),
            DevnetState.VouchDeploymentJson.of(deployment),
            hub.uri().toString(),
            keys.get(0).toHex(),
            keys.get(1).toHex(),
            keys.get(USER2_KEY).toHex(),
            nodes,
            anvilPid,
            null,
            validators);
    synchronized (this) {
      // a process that exits from here on is restarted (exited() reads the state); one that
      // exited before was only reported: the devnet does not start with it down
      requireRunning(nodes, validators);
      state = ready;
      ready.write(dir);
    }
    ProcessHandle.of(anvilPid).ifPresent(a -> a.onExit().thenRun(this::anvilExited));
    return ready;
  }

  /** This process's children that run the anvil binary. */
  private static Set<Long> anvilChildren() {
    return ProcessHandle.current()
        .children()
        .filter(c ->
            c.info()
                .command()
                .map(cmd -> cmd.endsWith("anvil") || cmd.endsWith("anvil.exe"))
                .orElse(false))
        .map(ProcessHandle::pid)
        .collect(java.util.stream.Collectors.toSet());
  }

  private void anvilExited() {
    if (closing) {
      return;
    }
    String why =
        "anvil (pid "
            + state.anvilPid()
            + ") exited at "
            + java.time.LocalTime.now().withNano(0)
            + ": the chain and everything on it are gone (anvil keeps them in memory, so it is not"
            + " restarted); start a new devnet: vouch devnet down, then vouch devnet up";
    progress.accept(why);
    synchronized (this) {
      state = state.withChainDown(why);
      writeState();
    }
  }

  private void writeState() {
    try {
      state.write(dir);
    } catch (RuntimeException e) {
      progress.accept("cannot update " + DevnetState.file(dir) + ": " + e.getMessage());
    }
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
          .filter(p -> p.getFileName().toString().matches("(node|validator)-\\d+(\\.log)?"))
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
   * Reports a node that exits while the devnet runs (a crash) and, once the devnet is up, restarts
   * it; not the ones {@link #close} or {@link #killNode} stop.
   */
  private void watchExit(Process p, int i) {
    p.onExit().thenAccept(done -> exited(done, i));
  }

  private void exited(Process done, int i) {
    if (closing) {
      return;
    }
    int code = done.exitValue();
    DevnetState.NodeProcess n;
    synchronized (this) {
      if (held.contains(i) || nodeProcesses.get(i) != done) {
        return; // stopped on purpose, or an earlier process of this node
      }
      if (state == null) { // still starting: start() reports it
        progress.accept(name(i) + " (pid " + done.pid() + ") exited with " + code);
        return;
      }
      n = state.process(i);
      if (n.restarts() >= MAX_RESTARTS) {
        String why =
            "exited with "
                + code
                + " after "
                + MAX_RESTARTS
                + " restarts; left down: see "
                + n.log()
                + ", then vouch devnet down and up";
        progress.accept(name(i) + " (" + n.address() + ") " + why);
        state = state.withProcess(i, n.gaveUp(code, why));
        writeState();
        return;
      }
    }
    long pause = 500L * (n.restarts() + 1);
    progress.accept(
        name(i)
            + " ("
            + n.address()
            + ", pid "
            + done.pid()
            + ") exited with "
            + code
            + "; restarting it in "
            + pause
            + " ms with the same key, port and journal");
    watchdog.schedule(() -> restartCrashed(i, done, code), pause, TimeUnit.MILLISECONDS);
  }

  private void restartCrashed(int i, Process crashed, int code) {
    synchronized (this) {
      if (closing || held.contains(i) || nodeProcesses.get(i) != crashed) {
        return;
      }
      try {
        Process p = nodeLaunchers.get(i).start();
        nodeProcesses.set(i, p);
        state = state.withProcess(i, state.process(i).restarted(p.pid(), code));
        writeState();
        watchExit(p, i);
        progress.accept(name(i) + " restarted (pid " + p.pid() + ")");
      } catch (IOException e) {
        String why = "could not be restarted: " + e.getMessage();
        progress.accept(name(i) + " " + why);
        state = state.withProcess(i, state.process(i).gaveUp(code, why));
        writeState();
      }
    }
  }

  /**
   * Kills node {@code i} with SIGKILL, as a crash would: no shutdown hook, no cleanup. It stays
   * down (no automatic restart) until {@link #restartNode}.
   */
  public void killNode(int i) throws InterruptedException {
    Process p;
    synchronized (this) {
      held.add(i);
      p = nodeProcesses.get(i);
    }
    p.destroyForcibly();
    p.waitFor();
  }

  /** Starts node {@code i} again with the same key, port and journal; returns its new pid. */
  public synchronized long restartNode(int i) throws IOException {
    Process p = nodeLaunchers.get(i).start();
    nodeProcesses.set(i, p);
    held.remove(i);
    watchExit(p, i);
    if (state != null) {
      DevnetState.NodeProcess n = state.process(i);
      state =
          state.withProcess(
              i,
              new DevnetState.NodeProcess(
                  n.address(),
                  n.url(),
                  p.pid(),
                  n.key(),
                  n.log(),
                  n.restarts(),
                  n.lastExitCode(),
                  null,
                  n.faultyShare()));
      writeState();
    }
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
    watchdog.shutdownNow();
    List<Process> nodeProcesses;
    synchronized (this) {
      nodeProcesses = List.copyOf(this.nodeProcesses);
    }
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
      Files.deleteIfExists(DevnetState.envFile(dir));
    } catch (IOException ignored) {
      // Left behind only if the folder itself went away.
    }
  }

  /**
   * Waits until node {@code index} answers {@code /health} (it registers with stake first), saying
   * when it is ready and, every 10 s of waiting, that it still waits.
   */
  private void awaitHealthy(DevnetState.NodeProcess n, int index, long waitStart, String what)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long nextNote = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (int i = 0; i < 1200; i++) {
      if (System.nanoTime() > nextNote) {
        nextNote += Duration.ofSeconds(10).toNanos();
        progress.accept(
            "still waiting for "
                + what
                + " ("
                + (System.nanoTime() - waitStart) / 1_000_000_000
                + " s; its log: "
                + n.log()
                + ")");
      }
      Process p;
      synchronized (this) {
        p = nodeProcesses.get(index);
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(
            what
                + " ("
                + n.address()
                + ") exited with "
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
          progress.accept(
              what
                  + " ready at "
                  + n.url()
                  + " ("
                  + (System.nanoTime() - waitStart) / 1_000_000
                  + " ms)");
          return;
        }
      } catch (IOException notYet) {
        // Still starting.
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        what + " (" + n.address() + ") did not become healthy; see " + n.log());
  }

  /** How progress lines name process {@code i}: {@code node 2}, {@code validator 1}. */
  private String name(int i) {
    return i < honestCount
        ? "node " + (i + 1)
        : i < nodeCount
            ? "faulty node " + (i - honestCount + 1)
            : "validator " + (i - nodeCount + 1);
  }

  /** Starts process {@code index} ({@code vouch node run} with this key, port and data folder). */
  private DevnetState.NodeProcess launch(
      int index, Bytes32 key, int port, Path log, Path dataDir, List<String> extra)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
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
                "--data-dir",
                dataDir.toString()));
    ProcessBuilder launcher =
        new ProcessBuilder(javaCommand(extra, args.toArray(String[]::new)))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = launcher.start();
    synchronized (this) {
      nodeLaunchers.add(launcher);
      nodeProcesses.add(p);
    }
    watchExit(p, index);
    return new DevnetState.NodeProcess(
        Secp256k1.KeyPair.fromPrivateKey(key).address().toHex(),
        "http://127.0.0.1:" + port,
        p.pid(),
        key.toHex(),
        log.toString());
  }

  /**
   * Throws, naming it and showing its log's end, if a node or validator has exited since it was
   * started: while the devnet starts nothing restarts it, and waiting on would end in a timeout
   * that names something else (an enclave key not approved).
   */
  private void requireRunning(
      List<DevnetState.NodeProcess> nodes, List<DevnetState.NodeProcess> validators) {
    for (int i = 0; i < nodes.size() + validators.size(); i++) {
      Process p;
      synchronized (this) {
        p = nodeProcesses.get(i);
      }
      if (!p.isAlive()) {
        DevnetState.NodeProcess n =
            i < nodes.size() ? nodes.get(i) : validators.get(i - nodes.size());
        throw new IllegalStateException(
            name(i)
                + " ("
                + n.address()
                + ") exited with "
                + p.exitValue()
                + " while the devnet was starting; its log: "
                + n.log()
                + "\n"
                + tail(Path.of(n.log())));
      }
    }
  }

  /**
   * Waits until {@code node}'s latest enclave key registration is approved by a committee; says
   * which key at which block.
   */
  private String awaitEnclaveKey(
      NodeRegistryClient registry,
      Address node,
      List<DevnetState.NodeProcess> nodes,
      List<DevnetState.NodeProcess> validators)
      throws InterruptedException {
    for (int i = 0; i < 1_200; i++) {
      requireRunning(nodes, validators);
      List<NodeRegistryClient.RegisteredEnclaveKey> regs = registry.registrationsOf(node);
      if (!regs.isEmpty()) {
        NodeRegistryClient.RegisteredEnclaveKey last = regs.getLast();
        NodeRegistryClient.EnclaveKeyRecord k = registry.enclaveKeyInfo(last.enclaveKey());
        if (k.approvalCase().equals(last.approvalCase())
            && k.status() == NodeRegistryClient.KeyStatus.APPROVED) {
          return "node "
              + node
              + ": enclave key "
              + last.enclaveKey()
              + " approved at block "
              + k.approvedAtBlock();
        }
        if (k.status() == NodeRegistryClient.KeyStatus.REJECTED) {
          throw new IllegalStateException(
              "the validators rejected enclave key " + last.enclaveKey() + " of node " + node);
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "node " + node + "'s enclave key was not approved within 120 s of the nodes' start");
  }

  /** Waits until the registered validators put the court in session (they register at start). */
  private void awaitSession(
      CourtClient court,
      List<DevnetState.NodeProcess> nodes,
      List<DevnetState.NodeProcess> validators)
      throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      requireRunning(nodes, validators);
      if (court.inSession()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "the VerificationCourt is not in session 60 s after the validators answered /health");
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

  /**
   * A port for a node or validator of this devnet: free now and not handed to another of its
   * processes. Each process binds its port only when it starts, so two calls of {@link #freePort}
   * in a row can return the same port (a red CI run: nodes 1 and 2 on one port, node 1 exiting).
   */
  private int newPort() throws IOException {
    return distinctPort(portsGiven, DevnetSupervisor::freePort);
  }

  /** A source of ports that are free when asked ({@link #freePort}). */
  @FunctionalInterface
  interface PortSource {
    int next() throws IOException;
  }

  /** The first port from {@code source} not in {@code given}, added to it. */
  static int distinctPort(Set<Integer> given, PortSource source) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = source.next();
      if (given.add(port)) {
        return port;
      }
    }
    throw new IOException(
        "the system offered only ports this devnet has handed out already (100 tries); free some"
            + " ports or stop other devnets, then start it again");
  }

  /** {@link #javaCommand(String...)} with {@code extra} arguments after {@code args}. */
  static List<String> javaCommand(List<String> extra, String... args) {
    List<String> cmd = javaCommand(args);
    cmd.addAll(extra);
    return cmd;
  }

  /** The command that runs {@code vouch ARGS} in a new JVM with this JVM's class path. */
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
