package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vouch.chain.events.HubEvent;
import io.vouch.chain.events.HubEventWatcher;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.cli.VouchCommand;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.Hex;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.node.inference.RecurrentTestModel;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.testmodels.TestModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * A Solidity consumer built from the consumer kit, on a devnet with a node process, as its README
 * tells a developer to do it: {@code contracts/kit/deploy-devnet.sh} deploys the example consumer
 * with {@code forge create} (offline, pinned solc), the consumer asks a freshly pushed model, the
 * node answers, its keeper finalizes, and the callback records the argmax of the signed output. The
 * same for a model with three inputs (the recurrent test model: state tensors and an int64 scalar):
 * the kit's {@code VoiceActivityConsumer} builds the bundle of named inputs on chain, the node
 * answers with a bundle, and the callback reads both outputs by name and carries the state to the
 * next step. Skips when forge is not installed, except under CI (CI=true), where it is a failure.
 */
class KitConsumerOnDevnetTest {
  private static final Pattern DEPLOYED = Pattern.compile("Deployed to: (0x[0-9a-fA-F]{40})");
  private static final int DELIVERED = 2;

  @TempDir static Path dir;
  static DevnetSupervisor devnet;
  static DevnetState state;

  @BeforeAll
  static void up() throws Exception {
    requireForge();
    devnet = new DevnetSupervisor(dir.resolve("devnet"), 1, Duration.ofSeconds(2), m -> {});
    state = devnet.start();
    Path model = dir.resolve("kit-mlp.onnx");
    Files.write(model, TestModels.randomMlpOnnx(31, 4, 6, 3));
    StringWriter err = new StringWriter();
    var cl = VouchCommand.commandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    int code =
        cl.execute(
            "model",
            "push",
            model.toString(),
            "--name",
            "kit-mlp",
            "--version",
            "1",
            "--devnet",
            dir.resolve("devnet").toString());
    assertThat(code).as(err.toString()).isZero();
    Path vad = dir.resolve("vad.onnx");
    Files.write(vad, RecurrentTestModel.onnx());
    code =
        cl.execute(
            "model",
            "push",
            vad.toString(),
            "--name",
            "vad",
            "--devnet",
            dir.resolve("devnet").toString());
    assertThat(code).as(err.toString()).isZero();
  }

  @AfterAll
  static void down() {
    if (devnet != null) {
      devnet.close();
    }
  }

  @Test
  void aConsumerDeployedWithTheDocumentedForgeCommandGetsItsAnswerFromTheNode() throws Exception {
    String address =
        deployWithTheScript("example/ExampleConsumer.sol:ExampleConsumer", "kit-mlp", "1", "");
    Web3j web3j = Web3j.build(new HttpService(state.rpcUrl()));
    try {
      TransactionSender user = TransactionSender.create(web3j, Bytes32.fromHex(state.userKey()));
      Address consumer = Address.fromHex(address);
      long fromBlock = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
      BigInteger fee = awaitFee(user, consumer);
      Tensor input = Tensor.ofFloats(new int[] {1, 4}, 0.5f, -1f, 2f, 0.25f);

      TransactionReceipt asked =
          user.send(
              consumer,
              encode("ask", List.of(new DynamicBytes(input.canonicalBytes()))),
              fee,
              3_000_000);
      BigInteger requestId = askedRequestId(asked, consumer);
      List<Type> answer = awaitDelivered(user, consumer, requestId);

      HubEvent.ResultSubmitted submitted = resultOf(web3j, fromBlock, requestId);
      Tensor output = Tensor.fromCanonicalBytes(submitted.output());
      assertThat(((BigInteger) answer.get(1).getValue()).intValue()).isEqualTo(output.argmax());
      assertThat(submitted.outputHash()).isEqualTo(output.hash());
    } finally {
      web3j.shutdown();
    }
  }

  @Test
  void aConsumerOfAMultiInputModelBuildsTheBundleOnChainAndReadsTheAnswerByName() throws Exception {
    // frames of 4 samples, a state of [2, 1, 4], sr 8000, the kit's default callback gas
    String address =
        deployWithTheScript(
            "example/VoiceActivityConsumer.sol:VoiceActivityConsumer",
            "vad",
            "1",
            "4",
            "4",
            "8000",
            "0");
    Web3j web3j = Web3j.build(new HttpService(state.rpcUrl()));
    try (OnnxRuntimeEngine ort = OnnxRuntimeEngine.load(RecurrentTestModel.onnx())) {
      TransactionSender user = TransactionSender.create(web3j, Bytes32.fromHex(state.userKey()));
      Address consumer = Address.fromHex(address);
      long fromBlock = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
      Tensor carried = Tensor.ofFloats(new int[] {2, 1, 4}, new float[8]);
      float[][] frames = {{0.6f, 0.3f, -0.6f, 0.25f}, {-0.1f, 0.9f, 0.4f, -0.75f}};

      for (int k = 0; k < frames.length; k++) {
        NamedTensors inputs =
            NamedTensors.of(
                Map.of(
                    "input", Tensor.ofFloats(new int[] {1, 4}, frames[k]),
                    "state", carried,
                    "sr", Tensor.ofLongs(new int[] {}, 8_000L)));
        NamedTensors expected = NamedTensors.of(ort.run(inputs.asMap()));

        BigInteger requestId = step(user, consumer, frames[k]);
        awaitSteps(user, consumer, k + 1);

        HubEvent.ResultSubmitted submitted = resultOf(web3j, fromBlock, requestId);
        assertThat(NamedTensors.decode(submitted.output(), "output")).isEqualTo(expected);
        assertThat(
                (BigInteger)
                    call(user, consumer, "lastOutputBits", List.of(), returning(Uint32.class))
                        .getFirst()
                        .getValue())
            .as("output, read by name in the callback")
            .isEqualTo(
                BigInteger.valueOf(
                    Float.floatToRawIntBits(expected.get("output").toFloats()[0]) & 0xffffffffL));
        byte[] kept =
            (byte[])
                call(user, consumer, "state", List.of(), returning(DynamicBytes.class))
                    .getFirst()
                    .getValue();
        assertThat(kept)
            .as("stateN kept as the next step's state")
            .isEqualTo(expected.get("stateN").canonicalBytes());
        carried = expected.get("stateN");
      }
    } finally {
      web3j.shutdown();
    }
  }

  /** Sends one frame to the VoiceActivityConsumer; the request id is its pendingStep. */
  static BigInteger step(TransactionSender user, Address consumer, float[] frame) throws Exception {
    BigInteger fee = awaitFee(user, consumer);
    List<Uint32> bits = new ArrayList<>();
    for (float f : frame) {
      bits.add(new Uint32(Float.floatToRawIntBits(f) & 0xffffffffL));
    }
    user.send(
        consumer, encode("step", List.of(new DynamicArray<>(Uint32.class, bits))), fee, 3_000_000);
    return (BigInteger)
        call(user, consumer, "pendingStep", List.of(), returning(Uint256.class))
            .getFirst()
            .getValue();
  }

  static void awaitSteps(TransactionSender user, Address consumer, int steps) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    BigInteger answered = BigInteger.ZERO;
    while (System.nanoTime() < deadline) {
      answered =
          (BigInteger)
              call(user, consumer, "steps", List.of(), returning(Uint256.class))
                  .getFirst()
                  .getValue();
      if (answered.intValue() >= steps) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("step " + steps + " not answered within 120 s; steps " + answered);
  }

  static <T extends Type<?>> List<TypeReference<?>> returning(Class<T> type) {
    return List.of(TypeReference.create(type));
  }

  /** Runs the README's command: the kit's deploy script against this devnet's folder. */
  static String deployWithTheScript(String contract, String... constructorArgs) throws Exception {
    Path root = Path.of(System.getProperty("vouch.root", "..")).toAbsolutePath();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "bash",
                root.resolve("contracts/kit/deploy-devnet.sh").toString(),
                "--devnet",
                dir.resolve("devnet").toString(),
                contract));
    command.addAll(List.of(constructorArgs));
    Path log = dir.resolve("forge-create.log");
    Process p =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("deploy-devnet.sh did not finish in 10 minutes:%n%s", Files.readString(log));
    }
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    Matcher m = DEPLOYED.matcher(out);
    assertThat(m.find()).as("'Deployed to:' in%n%s", out).isTrue();
    return m.group(1);
  }

  /** The fee the consumer quotes, once the node serves the pushed model (NoEligibleNode before). */
  static BigInteger awaitFee(TransactionSender user, Address consumer) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        return (BigInteger)
            call(user, consumer, "fee", List.of(), List.of(new TypeReference<Uint256>() {}))
                .getFirst()
                .getValue();
      } catch (RuntimeException e) {
        last = e;
        Thread.sleep(250);
      }
    }
    throw new AssertionError("no node served the consumer's model within 90 s", last);
  }

  static List<Type> awaitDelivered(TransactionSender user, Address consumer, BigInteger id)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    List<Type> answer = List.of();
    while (System.nanoTime() < deadline) {
      answer =
          call(
              user,
              consumer,
              "answer",
              List.of(new Uint256(id)),
              List.of(new TypeReference<Uint8>() {}, new TypeReference<Uint256>() {}));
      if (((BigInteger) answer.getFirst().getValue()).intValue() == DELIVERED) {
        return answer;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("request " + id + " not delivered within 120 s; answer " + answer);
  }

  static BigInteger askedRequestId(TransactionReceipt r, Address consumer) {
    String asked = Hex.prefixed(Keccak.hash("Asked(uint256,address,uint256)").toArray());
    for (Log log : r.getLogs()) {
      if (log.getAddress().equalsIgnoreCase(consumer.toHex())
          && log.getTopics().getFirst().equalsIgnoreCase(asked)) {
        return new BigInteger(log.getTopics().get(1).substring(2), 16);
      }
    }
    throw new AssertionError("no Asked event in " + r.getTransactionHash());
  }

  static HubEvent.ResultSubmitted resultOf(Web3j web3j, long fromBlock, BigInteger id) {
    try (HubEventWatcher w =
        new HubEventWatcher(web3j, Address.fromHex(state.deployment().inferenceHub()), fromBlock)) {
      for (HubEvent e : w.poll()) {
        if (e instanceof HubEvent.ResultSubmitted s && s.requestId().equals(id)) {
          return s;
        }
      }
    }
    throw new AssertionError("no ResultSubmitted for request " + id);
  }

  @SuppressWarnings("rawtypes")
  static List<Type> call(
      TransactionSender user,
      Address to,
      String name,
      List<Type> args,
      List<TypeReference<?>> returns) {
    Function f = new Function(name, args, returns);
    String result = user.call(to, Hex.decode(FunctionEncoder.encode(f)));
    return FunctionReturnDecoder.decode(result, f.getOutputParameters());
  }

  static byte[] encode(String name, List<Type> args) {
    return Hex.decode(FunctionEncoder.encode(new Function(name, args, List.of())));
  }

  /** Skips without forge, except under CI, where .ci/run installs it. */
  static void requireForge() {
    Path root = Path.of(System.getProperty("vouch.root", "..")).toAbsolutePath();
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String platform =
        (System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac")
                ? "darwin"
                : "linux")
            + "-"
            + (arch.contains("aarch64") || arch.contains("arm64") ? "arm64" : "amd64");
    Path forge = root.resolve("node_modules/@foundry-rs/forge-" + platform + "/bin/forge");
    if (!Files.isExecutable(forge) && System.getenv("FORGE") == null) {
      String why = "forge is not installed at " + forge + "; run 'bash tools/ensure-node-tools.sh'";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " — CI installs it, so its absence is a failure here");
      }
      Assumptions.abort(why);
    }
  }
}
