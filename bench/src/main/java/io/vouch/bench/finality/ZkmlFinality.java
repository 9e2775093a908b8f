package io.vouch.bench.finality;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vouch.benchmodels.SeededModels;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.court.CourtClient;
import io.vouch.chain.court.CourtEvent;
import io.vouch.chain.events.HubEvent;
import io.vouch.chain.events.HubEventWatcher;
import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.hub.RequestStatus;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.cli.VouchCommand;
import io.vouch.cli.devnet.DevnetState;
import io.vouch.cli.devnet.DevnetSupervisor;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.tensor.Tensor;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.VouchConfig;
import io.vouch.sdk.onchain.OnChainOptions;
import io.vouch.sdk.onchain.OnChainRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ZKML finality benchmark of issue 12: a devnet of real processes ({@link DevnetSupervisor}:
 * anvil, one inference node, three validator processes, the model hub), a small ZKML model pushed
 * with {@code vouch model push}, then anvil switched to mining only a block every {@code
 * --block-time-s} (no block per transaction), and {@code --requests} on-chain ZKML requests made
 * through the SDK, at most {@code --in-flight} at a time. Each request's timeline (submitted,
 * committee drawn, verdicts, finalized) is read from the hub's and the court's events afterwards;
 * the figures are blocks between those events, and seconds by the blocks' timestamps. Bounded: each
 * request by {@code --request-timeout-s}; loopback only.
 *
 * <pre>
 * java -cp bench/target/vouch-benchmarks.jar io.vouch.bench.finality.ZkmlFinality [flags]
 * </pre>
 */
@Command(
    name = "zkml-finality",
    mixinStandardHelpOptions = true,
    description = {
      "ZKML requests on a devnet mining a block a second, 3 validator processes: blocks from a",
      "result's submission to its finalization (median, p95), and where they go."
    })
public final class ZkmlFinality implements Callable<Integer> {
  static final String MODEL = "zk@1";

  /** VerdictCast(uint256 indexed caseId, uint8 round, address indexed member, bool, bool). */
  static final String VERDICT_CAST =
      Keccak.hash("VerdictCast(uint256,uint8,address,bool,bool)").toHex();

  @Option(names = "--requests", defaultValue = "50", description = "Requests measured.")
  int requests;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      description = "Requests made (and finalized) first, not measured: models loaded, JIT warm.")
  int warmup;

  @Option(
      names = "--in-flight",
      defaultValue = "1",
      description = "At most this many requests open at once (1: one after another).")
  int inFlight;

  @Option(names = "--validators", defaultValue = "3", description = "Validator processes.")
  int validators;

  @Option(names = "--block-time-s", defaultValue = "1", description = "anvil's block time.")
  int blockTimeSeconds;

  @Option(
      names = "--request-timeout-s",
      defaultValue = "120",
      description = "A request not finalized this long after it was sent counts as not finalized.")
  int requestTimeoutSeconds;

  @Option(names = "--work-dir", defaultValue = "bench/target/zkml-finality")
  Path workDir;

  @Option(names = "--out", defaultValue = "bench/target/zkml-finality.json")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static CommandLine commandLine() {
    return new CommandLine(new ZkmlFinality());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    Path devnetDir = workDir.toAbsolutePath().resolve("devnet");
    Files.createDirectories(devnetDir);
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("loadBefore", loadAverage());
    stdout.printf(
        "machine: %d cores, load average %s%n", (Object) machine.get("cores"), loadAverage());
    stdout.flush();
    try (DevnetSupervisor devnet =
        new DevnetSupervisor(
                devnetDir,
                1,
                Duration.ofSeconds(5),
                m -> {
                  stdout.println("devnet: " + m);
                  stdout.flush();
                })
            .withValidators(validators)) {
      DevnetState state = devnet.start();
      pushModel(devnetDir, stdout);
      HttpService rpc = new HttpService(state.rpcUrl());
      Web3j web3j = Web3j.build(rpc);
      try {
        intervalMiningOnly(rpc, blockTimeSeconds);
        stdout.printf(
            "anvil now mines a block every %d s and no block per transaction%n", blockTimeSeconds);
        VouchDeployment deployment = state.deployment().toDeployment();
        VouchConfig config =
            VouchConfig.of(state.rpcUrl(), deployment)
                .withHubs(URI.create(state.modelHubUrl()))
                .withKey(Bytes32.fromHex(state.userKey()));
        List<OnChainRequest> measured;
        try (VouchClient vouch = VouchClient.connect(config)) {
          InferenceHubClient hub = InferenceHubClient.readOnly(web3j, deployment);
          stdout.printf("warm-up: %d request(s), not measured%n", warmup);
          stdout.flush();
          run(vouch, hub, warmup, 1, 1_000, stdout);
          stdout.printf("measuring %d requests, at most %d in flight%n", requests, inFlight);
          stdout.flush();
          measured = run(vouch, hub, requests, inFlight, 0, stdout);
        }
        TransactionSender reader =
            TransactionSender.create(web3j, Bytes32.fromHex(state.deployerKey()));
        List<RequestTimeline> timelines = new ArrayList<>();
        for (OnChainRequest r : measured) {
          timelines.add(timeline(web3j, reader, deployment, r.requestId(), r.blockNumber()));
        }
        machine.put("loadAfter", loadAverage());
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("blockTimeSeconds", blockTimeSeconds);
        setup.put("mining", "interval only (evm_setAutomine false)");
        setup.put("validators", validators);
        setup.put("inferenceNodes", 1);
        setup.put("inFlight", inFlight);
        setup.put("warmup", warmup);
        setup.put("model", "seeded MLP 32-16-4 (SeededModels.randomMlpOnnx(5, 32, 16, 4)), ZKML");
        FinalityReport report = new FinalityReport(setup, machine, timelines);
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .writeValue(out.toFile(), report.toJson());
        if (!timelines.isEmpty()) {
          stdout.println(
              "first measured request: " + FinalityReport.describe(timelines.getFirst()));
        }
        stdout.printf(
            "machine: load average before %s, after %s%n",
            machine.get("loadBefore"), machine.get("loadAfter"));
        stdout.println();
        stdout.print(report.table());
        stdout.printf("%nwritten: %s%n", out);
        stdout.flush();
        return report.finalizedCount() == requests ? 0 : 1;
      } finally {
        web3j.shutdown();
      }
    }
  }

  /**
   * {@code vouch model push} of the benchmark's ZKML model, then waits until the node serves it.
   */
  private void pushModel(Path devnetDir, PrintWriter stdout) throws IOException {
    Path onnx = workDir.toAbsolutePath().resolve("zk.onnx");
    Files.write(onnx, SeededModels.randomMlpOnnx(5, 32, 16, 4));
    String[][] commands = {
      {
        "model",
        "push",
        onnx.toString(),
        "--name",
        "zk",
        "--levels",
        "vanilla,zkml",
        "--min-agreement",
        "0.9",
        "--devnet",
        devnetDir.toString()
      },
      {"devnet", "status", "--dir", devnetDir.toString(), "--await-model", MODEL},
    };
    for (String[] c : commands) {
      int code = VouchCommand.commandLine().setOut(stdout).setErr(stdout).execute(c);
      if (code != 0) {
        throw new IllegalStateException("vouch " + String.join(" ", c) + " exited with " + code);
      }
    }
  }

  /**
   * Turns anvil's automine off: from here on only its interval mines, as on a chain with a block
   * time (the devnet mines each transaction at once too, which would make "blocks" meaningless).
   */
  static void intervalMiningOnly(Web3jService rpc, int seconds) throws IOException {
    for (Request<?, VoidResponse> r :
        List.of(
            new Request<>("evm_setAutomine", List.of(false), rpc, VoidResponse.class),
            new Request<>("evm_setIntervalMining", List.of(seconds), rpc, VoidResponse.class))) {
      VoidResponse v = r.send();
      if (v.hasError()) {
        throw new IOException(r.getMethod() + " failed: " + v.getError().getMessage());
      }
    }
  }

  /**
   * Makes {@code count} requests, at most {@code parallel} open at once, each waited for until it
   * is settled or {@code --request-timeout-s} has passed; returns them in the order they were made.
   */
  private List<OnChainRequest> run(
      VouchClient vouch,
      InferenceHubClient hub,
      int count,
      int parallel,
      long inputSeed,
      PrintWriter stdout)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
    try {
      List<Future<OnChainRequest>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Tensor input = input(inputSeed + i);
        futures.add(pool.submit(() -> requestAndAwait(vouch, hub, input)));
      }
      List<OnChainRequest> made = new ArrayList<>();
      int i = 0;
      for (Future<OnChainRequest> f : futures) {
        OnChainRequest r = f.get();
        made.add(r);
        if (++i % 10 == 0 || i == count) {
          stdout.printf("  %d/%d settled or timed out%n", i, count);
          stdout.flush();
        }
      }
      return made;
    } finally {
      pool.shutdownNow();
    }
  }

  private OnChainRequest requestAndAwait(VouchClient vouch, InferenceHubClient hub, Tensor input)
      throws InterruptedException {
    OnChainRequest r =
        vouch.inferOnChain(
            MODEL,
            input,
            OnChainOptions.defaults(new BigInteger("10000000000000000"))
                .withLevel(VerificationLevel.ZKML));
    long until = System.nanoTime() + Duration.ofSeconds(requestTimeoutSeconds).toNanos();
    while (System.nanoTime() < until) {
      RequestStatus s = hub.statusOf(r.requestId());
      if (s.settled()) {
        break;
      }
      Thread.sleep(100);
    }
    return r;
  }

  /** A 32-float input, different for each request. */
  static Tensor input(long seed) {
    Random random = new Random(seed);
    float[] v = new float[32];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextFloat();
    }
    return Tensor.ofFloats(new int[] {1, 32}, v);
  }

  /** One request's timeline from the hub's and the court's events. */
  static RequestTimeline timeline(
      Web3j web3j,
      TransactionSender reader,
      VouchDeployment deployment,
      BigInteger requestId,
      long fromBlock)
      throws IOException {
    List<HubEvent> events;
    try (HubEventWatcher w = new HubEventWatcher(web3j, deployment.inferenceHub(), fromBlock)) {
      events = w.requestEvents(requestId);
    }
    long requested = -1;
    long submitted = -1;
    long finalized = -1;
    int attempt = 0;
    String outcome = "open";
    for (HubEvent e : events) {
      switch (e) {
        case HubEvent.InferenceRequested q -> requested = q.position().blockNumber();
        case HubEvent.RequestAssigned a -> attempt = a.attempt();
        case HubEvent.ResultSubmitted s -> submitted = s.position().blockNumber();
        case HubEvent.RequestFinalized f -> {
          finalized = f.position().blockNumber();
          outcome = "finalized";
        }
        case HubEvent.RequestRefunded f -> outcome = "refunded";
        default -> {}
      }
    }
    long draw = -1;
    int round = 0;
    List<Long> verdicts = new ArrayList<>();
    BigInteger caseId = CourtClient.caseIdOf(requestId, Math.max(1, attempt));
    if (submitted >= 0) {
      long to = finalized >= 0 ? finalized : head(web3j);
      CourtClient court = new CourtClient(reader, deployment);
      for (CourtEvent e : court.events(submitted, to)) {
        if (e instanceof CourtEvent.CommitteeDrawn d && d.caseId().equals(caseId)) {
          draw = d.blockNumber();
          round = d.round();
        }
      }
      verdicts = verdictBlocks(web3j, deployment, caseId, round, submitted, to);
    }
    return new RequestTimeline(
        requestId,
        attempt,
        requested,
        submitted,
        draw,
        verdicts,
        finalized,
        submitted >= 0 ? timestamp(web3j, submitted) : -1,
        finalized >= 0 ? timestamp(web3j, finalized) : -1,
        round,
        outcome);
  }

  /** The blocks of the court's VerdictCast events of {@code caseId} in {@code round}. */
  private static List<Long> verdictBlocks(
      Web3j web3j, VouchDeployment d, BigInteger caseId, int round, long from, long to)
      throws IOException {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
            d.verificationCourt().toHex());
    filter.addSingleTopic(VERDICT_CAST);
    filter.addSingleTopic(String.format("0x%064x", caseId));
    EthLog logs = web3j.ethGetLogs(filter).send();
    if (logs.hasError()) {
      throw new IOException("eth_getLogs failed: " + logs.getError().getMessage());
    }
    List<Long> blocks = new ArrayList<>();
    for (EthLog.LogResult<?> r : logs.getLogs()) {
      Log log = (Log) r.get();
      String data = log.getData().substring(2);
      int logRound = new BigInteger(data.substring(0, 64), 16).intValueExact();
      if (logRound == round) {
        blocks.add(log.getBlockNumber().longValueExact());
      }
    }
    return blocks;
  }

  private static long head(Web3j web3j) throws IOException {
    return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
  }

  private static long timestamp(Web3j web3j, long block) throws IOException {
    return web3j
        .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)), false)
        .send()
        .getBlock()
        .getTimestamp()
        .longValueExact();
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
