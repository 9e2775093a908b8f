package io.vouch.bench.http;

import io.vouch.bench.direct.BenchModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The HTTP load test of issue 9: for each scenario, a fresh node in its own JVM ({@link
 * NodeProcess}), warmed up, then attacked over loopback ({@link AttackConnections}) for {@code
 * --duration-s} while two well-behaved clients ({@link Probe}: one opening a new connection per
 * call, one on a kept-alive connection) call {@code /health} and {@code /v1/infer}. Prints Markdown
 * tables and writes JSON. Everything is bounded: connections by the flags, each scenario by its
 * duration, each call by {@code --timeout-ms}.
 *
 * <pre>
 * java -cp bench/target/vouch-benchmarks.jar io.vouch.bench.http.HttpLoadTest [flags]
 * </pre>
 */
@Command(
    name = "http-load",
    mixinStandardHelpOptions = true,
    description = {
      "Load test of one node's HTTP server (loopback only): idle, slow-header and large-declared-body",
      "connections while well-behaved clients call /health and /v1/infer; reports the node's",
      "resident memory and the share of calls answered. A fresh node process per scenario."
    })
public final class HttpLoadTest implements Callable<Integer> {
  /** The model the node serves and the clients call: the MNIST-shaped MLP of the direct path. */
  static final BenchModel MODEL = BenchModel.MNIST_MLP;

  static final String MODEL_REF = MODEL.ref();

  /** The scenarios, by name, in the order they run. */
  static final List<String> ALL_SCENARIOS =
      List.of("baseline", "idle", "slow-headers", "declared-bodies");

  @Option(
      names = "--scenarios",
      split = ",",
      description = "Which scenarios to run, in this order (default: ${DEFAULT-VALUE}).",
      defaultValue = "baseline,idle,slow-headers,declared-bodies")
  List<String> scenarios;

  @Option(names = "--duration-s", defaultValue = "30", description = "Attack time per scenario.")
  double durationSeconds;

  @Option(
      names = "--warmup-calls",
      defaultValue = "2000",
      description =
          "Calls back to back before each attack, not counted: the node's JIT, the same work for"
              + " every node.")
  long warmupCalls;

  @Option(
      names = "--settle-s",
      defaultValue = "3",
      description = "Wait after closing the attack before the 'after release' reading.")
  double settleSeconds;

  @Option(names = "--idle-connections", defaultValue = "500")
  int idleConnections;

  @Option(names = "--slow-header-connections", defaultValue = "500")
  int slowHeaderConnections;

  @Option(
      names = "--slow-header-interval-ms",
      defaultValue = "5000",
      description = "One header byte per slow connection this often.")
  long slowHeaderIntervalMillis;

  @Option(names = "--body-connections", defaultValue = "50")
  int bodyConnections;

  @Option(
      names = "--declared-body-bytes",
      defaultValue = "33554432",
      description =
          "Content-Length the body connections declare (default 32 MiB, the node's limit).")
  long declaredBodyBytes;

  @Option(
      names = "--body-trickle-ms",
      defaultValue = "5000",
      description = "One body byte per body connection this often; 0 sends nothing after the head.")
  long bodyTrickleMillis;

  @Option(
      names = "--attack-from",
      split = ",",
      description =
          "Local addresses the attacking connections come from, in turn (e.g."
              + " 127.0.0.2,127.0.0.3: any 127.x reaches loopback on Linux). Default: the system's"
              + " choice, 127.0.0.1, the clients' address too, so that a cap per client address"
              + " counts clients and attack together.")
  List<String> attackFrom = new ArrayList<>();

  @Option(names = "--timeout-ms", defaultValue = "2000", description = "Per client call.")
  long timeoutMillis;

  @Option(
      names = "--interval-ms",
      defaultValue = "100",
      description = "Each client makes one call this often (/health and /v1/infer in turn).")
  long intervalMillis;

  @Option(names = "--node-heap", defaultValue = "512m", description = "The node's -Xmx.")
  String nodeHeap;

  @Option(names = "--node-jvm-arg", description = "More JVM options for the node (repeatable).")
  List<String> nodeJvmArgs = new ArrayList<>();

  @Option(
      names = "--class-path",
      description = "Class path of the node's JVM (default: this JVM's).")
  String classPath;

  @Option(
      names = "--work-dir",
      defaultValue = "bench/target/http-load",
      description = "Model file and the nodes' logs.")
  Path workDir;

  @Option(names = "--out", defaultValue = "bench/target/http-load.json", description = "JSON.")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The flags as the report records them. */
  record Settings(
      List<String> scenarios,
      double durationSeconds,
      long warmupCalls,
      double settleSeconds,
      int idleConnections,
      int slowHeaderConnections,
      long slowHeaderIntervalMillis,
      int bodyConnections,
      long declaredBodyBytes,
      long bodyTrickleMillis,
      List<String> attackFrom,
      long timeoutMillis,
      long intervalMillis,
      String nodeHeap,
      List<String> nodeJvmArgs,
      String model) {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new HttpLoadTest());
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    List<Attack> attacks = new ArrayList<>();
    for (String name : scenarios) {
      attacks.add(attack(name));
    }
    List<InetAddress> sources = attackSources();
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "the load test reads /proc/<pid>/status: it runs on Linux only");
    }
    Files.createDirectories(workDir);
    Path model = workDir.resolve("mnist-mlp.onnx");
    Files.write(model, MODEL.onnx());
    byte[] input = MODEL.sampleInput().canonicalBytes();
    String cp = classPath != null ? classPath : System.getProperty("java.class.path");
    HttpLoadReport.Machine machine = machine();
    o.printf(
        "HTTP load test: %d scenario(s) of %.0f s, node -Xmx%s, attack from %s, %d cores, load"
            + " average %s%n",
        attacks.size(),
        durationSeconds,
        nodeHeap,
        sources.isEmpty() ? "the system's choice" : attackFrom,
        machine.cores(),
        machine.loadAverageAtStart());
    o.flush();

    List<ScenarioResult> results = new ArrayList<>();
    for (Attack attack : attacks) {
      o.printf("== %s: %s%n", attack.name(), attack.description());
      o.flush();
      List<String> command = NodeProcess.command(cp, nodeHeap, nodeJvmArgs, model, MODEL_REF);
      ScenarioResult r = run(attack, sources, command, input);
      results.add(r);
      o.printf(
          "   node RSS %s → peak %s → end %s → after %s; alive %s; OOM lines %d%n",
          kb(r.rssBeforeKb()),
          kb(r.peakKb()),
          kb(r.rssEndKb()),
          kb(r.rssAfterKb()),
          r.nodeAliveAfter(),
          r.outOfMemoryErrorLogLines());
      for (ScenarioResult.ClientResult c : r.clients()) {
        o.printf(
            "   %-25s /health %d/%d OK, /v1/infer %d/%d OK%n",
            c.connections(),
            c.health().ok(),
            c.health().calls(),
            c.infer().ok(),
            c.infer().calls());
      }
      o.flush();
    }
    HttpLoadReport report = new HttpLoadReport(machine, settings(), results);
    report.writeJson(out);
    o.println();
    o.print(report.markdown());
    o.printf("%nJSON: %s; node logs in %s%n", out, workDir);
    o.flush();
    return 0;
  }

  private Attack attack(String name) {
    return switch (name) {
      case "baseline" -> new Attack.None();
      case "idle" -> new Attack.IdleConnections(idleConnections);
      case "slow-headers" ->
          new Attack.SlowHeaders(slowHeaderConnections, slowHeaderIntervalMillis);
      case "declared-bodies" ->
          new Attack.DeclaredBodies(bodyConnections, declaredBodyBytes, bodyTrickleMillis);
      default ->
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              "unknown scenario '" + name + "'; the scenarios are " + ALL_SCENARIOS);
    };
  }

  /** One scenario against a fresh node. */
  private ScenarioResult run(
      Attack attack, List<InetAddress> sources, List<String> command, byte[] input)
      throws IOException, InterruptedException {
    double loadBefore = loadAverage();
    Path log = workDir.resolve(attack.name() + "-node.log");
    NodeProcess node = NodeProcess.start(command, log, Duration.ofSeconds(120));
    Thread reaper =
        new Thread(() -> ProcessHandle.of(node.pid()).ifPresent(ProcessHandle::destroyForcibly));
    Runtime.getRuntime().addShutdownHook(reaper); // an interrupted run leaves no node behind
    try {
      // Warm-up: the node's JIT and the model's first runs are not what is measured.
      new Probe(Probe.Connections.KEPT_ALIVE, node.address(), MODEL_REF, input, timeoutMillis, 0)
          .until(System.nanoTime() + nanos(120))
          .atMost(warmupCalls)
          .run();
      Optional<ProcessMemory> before = node.memory();
      MemorySampler sampler = MemorySampler.start(node);

      long deadline = System.nanoTime() + nanos(durationSeconds);
      List<Probe> probes = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (Probe.Connections c : Probe.Connections.values()) {
        Probe p =
            new Probe(c, node.address(), MODEL_REF, input, timeoutMillis, intervalMillis)
                .until(deadline);
        probes.add(p);
        threads.add(Thread.ofPlatform().name("probe-" + c).start(p));
      }
      AttackConnections.Census census;
      Optional<ProcessMemory> end;
      try (AttackConnections attackConnections =
          AttackConnections.start(attack, node.address(), sources, deadline)) {
        sleepUntil(deadline);
        end = node.memory();
        census = attackConnections.census();
        for (Thread t : threads) {
          t.join();
        }
      }
      sleepUntil(System.nanoTime() + nanos(settleSeconds));
      Optional<ProcessMemory> after = node.memory();
      sampler.stop();
      boolean alive = node.alive();
      int exit = node.stop();
      List<ScenarioResult.ClientResult> clients = new ArrayList<>();
      for (Probe p : probes) {
        clients.add(
            new ScenarioResult.ClientResult(
                p.connections().label, p.health().summary(), p.infer().summary()));
      }
      ProcessMemory last = sampler.last();
      return new ScenarioResult(
          attack.name(),
          attack.description(),
          node.pid(),
          loadBefore,
          loadAverage(),
          before.map(ProcessMemory::rssKb).orElse(null),
          sampler.peakRssKb(),
          last == null ? null : last.hwmKb(),
          end.map(ProcessMemory::rssKb).orElse(null),
          after.map(ProcessMemory::rssKb).orElse(null),
          before.map(ProcessMemory::threads).orElse(null),
          sampler.peakThreads(),
          alive,
          exit,
          node.logLinesWith("OutOfMemoryError"),
          census,
          clients);
    } finally {
      node.close();
      Runtime.getRuntime().removeShutdownHook(reaper);
    }
  }

  /** Reads the node's /proc status every 200 ms: the peak resident set and thread count seen. */
  private static final class MemorySampler {
    private final NodeProcess node;
    private final Thread thread;
    private final AtomicReference<ProcessMemory> last = new AtomicReference<>();
    private volatile long peakRssKb = -1;
    private volatile int peakThreads = -1;
    private volatile boolean stopping;

    private MemorySampler(NodeProcess node) {
      this.node = node;
      this.thread = Thread.ofPlatform().daemon().name("rss-sampler").unstarted(this::sample);
    }

    static MemorySampler start(NodeProcess node) {
      MemorySampler s = new MemorySampler(node);
      s.sampleOnce();
      s.thread.start();
      return s;
    }

    private void sample() {
      while (!stopping) {
        sampleOnce();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
    }

    private void sampleOnce() {
      node.memory()
          .ifPresent(m -> {
            last.set(m);
            peakRssKb = Math.max(peakRssKb, m.rssKb());
            peakThreads = Math.max(peakThreads, m.threads());
          });
    }

    void stop() throws InterruptedException {
      sampleOnce();
      stopping = true;
      thread.join();
    }

    ProcessMemory last() {
      return last.get();
    }

    Long peakRssKb() {
      return peakRssKb < 0 ? null : peakRssKb;
    }

    Integer peakThreads() {
      return peakThreads < 0 ? null : peakThreads;
    }
  }

  /**
   * The {@code --attack-from} addresses, checked before any node starts: each must be an address
   * this machine can bind (a loopback alias on Linux).
   */
  private List<InetAddress> attackSources() {
    List<InetAddress> sources = new ArrayList<>();
    for (String a : attackFrom) {
      InetAddress address;
      try {
        address = InetAddress.getByName(a);
      } catch (IOException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--attack-from: '" + a + "' is not an address: " + e.getMessage());
      }
      try (Socket probe = new Socket()) {
        probe.bind(new InetSocketAddress(address, 0));
      } catch (IOException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--attack-from: cannot bind " + a + " on this machine (" + e.getMessage() + ")");
      }
      sources.add(address);
    }
    return sources;
  }

  private Settings settings() {
    return new Settings(
        scenarios,
        durationSeconds,
        warmupCalls,
        settleSeconds,
        idleConnections,
        slowHeaderConnections,
        slowHeaderIntervalMillis,
        bodyConnections,
        declaredBodyBytes,
        bodyTrickleMillis,
        attackFrom,
        timeoutMillis,
        intervalMillis,
        nodeHeap,
        nodeJvmArgs,
        MODEL_REF + " (SeededModels.randomMlpOnnx(7, 784, 128, 10))");
  }

  private static HttpLoadReport.Machine machine() {
    return new HttpLoadReport.Machine(
        Instant.now().toString(),
        Runtime.getRuntime().availableProcessors(),
        procValue(Path.of("/proc/meminfo"), "MemTotal:", 1),
        procValue(Path.of("/proc/self/limits"), "Max open files", 3),
        System.getProperty("java.vm.vendor") + " " + Runtime.version(),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        loadAverages());
  }

  /** Field {@code field} (0-based, by whitespace) of the first line starting with {@code key}. */
  private static Long procValue(Path file, String key, int field) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.split("\\s+")[field]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or a format we do not know: leave it out
    }
    return null;
  }

  private static String loadAverages() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(loadAverages().split(" ")[0]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long nanos(double seconds) {
    return (long) (seconds * 1e9);
  }

  private static void sleepUntil(long deadline) throws InterruptedException {
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private static String kb(Long kb) {
    return kb == null ? "gone" : Math.round(kb / 1024.0) + " MB";
  }
}
