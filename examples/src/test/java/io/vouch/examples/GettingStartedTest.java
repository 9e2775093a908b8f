package io.vouch.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.examples.Shell.Run;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.onnx.writer.OnnxModelWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user does first, on one devnet, every command a process in a folder of the test's: the
 * README's "Try it" block exactly as written (it starts the devnet), its curl session with the real
 * {@code curl}, the SDK program of examples/ at every level the devnet serves, then what the
 * devnet's supervisor does when a node or anvil is killed with SIGKILL. Everything those commands
 * printed, and the nodes' logs, are checked for library noise at the end. The tests run in order
 * and share the devnet (starting one takes 20 to 40 s).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GettingStartedTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final BigInteger PRICE = new BigInteger("1000000000000000"); // the devnet nodes' price

  @TempDir static Path work;
  static Shell shell;
  static Readme readme;

  /** Everything the user saw, for {@link #noLibraryNoiseReachedTheUser()}. */
  static final List<Run> seen = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    shell = new Shell(work);
    readme = Readme.read();
  }

  @AfterAll
  static void devnetDown() {
    if (shell != null) {
      shell.bash("./vouch devnet down\n");
    }
  }

  static Run ok(Run r) {
    seen.add(r);
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  static JsonNode status() throws Exception {
    Run r = shell.bash("./vouch devnet status --json\n");
    seen.add(r);
    return JSON.readTree(r.out());
  }

  @Test
  @Order(1)
  void theTryItBlockRunsAsWritten() throws Exception {
    Run r = ok(shell.bash(readme.block("## Try it")));

    assertThat(r.out())
        .contains("devnet: waiting for the nodes to register with stake")
        .contains("devnet: node 3/3 ready at")
        .contains("accuracy  0.875 on 120 held-out messages")
        .contains("wrote     my.onnx")
        .contains("pushed my-model@1")
        .contains("model my-model@1 served by 3 of 3 nodes")
        .contains("VALID: hashes, ids, domain, signature by registered node")
        .contains("InferenceHub")
        .contains("model hub");
    assertThat(work.resolve("intents.tsv")).content().startsWith("intent\ttext\n");
    assertThat(JSON.readTree(work.resolve("r.json").toFile()).get("path").asText())
        .isEqualTo("direct");
    assertThat(JSON.readTree(work.resolve("oc.json").toFile()).get("finality").asText())
        .isEqualTo("FINALIZED");
  }

  @Test
  @Order(2)
  void devnetStatusShowsTheHubUrlAndTheContractAddresses() throws Exception {
    JsonNode state = JSON.readTree(work.resolve(".vouch/devnet/devnet.json").toFile());
    JsonNode deployment = JSON.readTree(work.resolve(".vouch/devnet/deployment.json").toFile());

    JsonNode s = status();

    assertThat(s.get("modelHub").get("url").asText()).isEqualTo(state.get("modelHubUrl").asText());
    assertThat(s.get("modelHub").get("up").asBoolean()).isTrue();
    assertThat(s.get("rpc").asText()).isEqualTo(state.get("rpcUrl").asText());
    for (String contract : List.of("inferenceHub", "nodeRegistry", "modelRegistry")) {
      assertThat(s.get("contracts").get(contract).asText())
          .as(contract)
          .isEqualToIgnoringCase(deployment.get(contract).asText());
    }
    assertThat(s.get("nodes")).hasSize(3).allSatisfy(n -> assertThat(n.get("up").asBoolean()));
    Run text = ok(shell.bash("./vouch devnet status\n"));
    assertThat(text.out())
        .contains(state.get("modelHubUrl").asText())
        .contains(deployment.get("inferenceHub").asText().toLowerCase());
  }

  @Test
  @Order(3)
  void theCurlSessionRunsAsWrittenPayingTheNodeWithAVoucher() throws Exception {
    if (!Shell.installed("curl")) {
      String why =
          "curl is not installed here: the README's curl session needs it (apt-get install curl)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " — CI installs it (.ci/run), so its absence is a failure here");
      }
      Assumptions.abort(why);
    }
    Run r = ok(shell.bash(readme.block("### curl")));

    String[] lines = r.out().split("\n");
    JsonNode health = JSON.readTree(lines[0]);
    assertThat(health.get("status").asText()).isEqualTo("UP");
    assertThat(JSON.readTree(lines[1]).toString()).contains("my-model");
    JsonNode refusal = JSON.readTree(lines[2]);
    assertThat(lines[3]).isEqualTo("HTTP 402");
    assertThat(refusal.get("error").asText()).isEqualTo("PAYMENT_REQUIRED");
    assertThat(refusal.get("price").asText()).isEqualTo(PRICE.toString());
    assertThat(refusal.get("node").asText()).isEqualTo(health.get("node").asText());
    assertThat(refusal.get("hub").asText()).isEqualTo(health.get("hub").asText());
    assertThat(refusal.get("voucherType").asText())
        .isEqualTo("Voucher(address payer,address node,uint256 cumulativeAmount)");
    assertThat(refusal.get("domain").get("name").asText()).isEqualTo("Vouch");
    assertThat(refusal.get("domain").get("verifyingContract").asText())
        .isEqualTo(health.get("hub").asText());

    JsonNode paid = JSON.readTree(work.resolve("paid.json").toFile());
    assertThat(paid.get("receipt").get("node").asText()).isEqualTo(health.get("node").asText());
    assertThat(paid.get("payment").get("cumulativeAmount").asText()).isEqualTo(PRICE.toString());
    JsonNode second = JSON.readTree(lines[4]);
    assertThat(second.get("payment").get("cumulativeAmount").asText())
        .isEqualTo(PRICE.shiftLeft(1).toString());
    JsonNode settled = JSON.readTree(lines[5]);
    assertThat(settled.get("batch").get("count").asInt()).isGreaterThanOrEqualTo(2);
    JsonNode proof = JSON.readTree(lines[6]);
    assertThat(proof.get("digest").asText()).isEqualTo(paid.get("receiptDigest").asText());
    assertThat(proof.get("root").asText()).isEqualTo(settled.get("batch").get("root").asText());
    JsonNode openApi = JSON.readTree(work.resolve("openapi.json").toFile());
    assertThat(openApi.at("/components/schemas/PaymentRequired/properties").has("voucherType"))
        .isTrue();
  }

  @Test
  @Order(4)
  void theSdkProgramRunsAtEveryLevelTheDevnetServesAndVerifies() throws Exception {
    String javaBlock = readme.block("### Java");
    assertThat(javaBlock).startsWith("examples/quickstart");
    assertThat(Shell.repositoryRoot().resolve("examples/quickstart"))
        .isExecutable()
        .content()
        .contains("io.vouch.examples.QuickStart");

    Run r = ok(shell.java(QuickStart.class.getName()));

    assertThat(r.out())
        .contains("pushed     quickstart@1")
        .containsPattern("VANILLA +\".*\" -> \\w+ \\(node 0x")
        .containsPattern("TEE +\".*\" -> \\w+ \\(node 0x")
        .containsPattern("ZKML +\".*\" -> \\w+ \\(node 0x[0-9a-f]+, proof \\d+ bytes\\)")
        .contains("verified: checked by this client: proof verified")
        .contains("attestation")
        .contains("done       every result verified");
  }

  @Test
  @Order(5)
  void aNodeKilledWithSigkillIsRestartedAndStatusSaysSo() throws Exception {
    JsonNode before = status().get("nodes").get(0);
    ProcessHandle.of(before.get("pid").asLong()).orElseThrow().destroyForcibly();

    JsonNode after = null;
    for (int i = 0; i < 240; i++) {
      after = status().get("nodes").get(0);
      if (after.get("restarts").asInt() == 1 && after.get("up").asBoolean()) {
        break;
      }
      Thread.sleep(250);
    }

    assertThat(after.get("up").asBoolean()).as(after.toString()).isTrue();
    assertThat(after.get("restarts").asInt()).isEqualTo(1);
    assertThat(after.get("lastExitCode").asInt()).isEqualTo(137);
    assertThat(after.get("pid").asLong()).isNotEqualTo(before.get("pid").asLong());
    Run text = ok(shell.bash("./vouch devnet status\n"));
    assertThat(text.out()).contains("(restarted 1×, last exit 137)");
    assertThat(work.resolve(".vouch/devnet/supervisor.log"))
        .content()
        .contains("exited with 137; restarting it")
        .contains("node 1 restarted");
  }

  /**
   * A model that makes ONNX Runtime warn when a node loads it (an initializer no node uses: ONNX
   * Runtime prints "Removing initializer …" in ANSI colours from native code), pushed and served.
   */
  @Test
  @Order(6)
  void aModelOnnxRuntimeWarnsAboutIsServedWithoutItsWarning() throws Exception {
    OnnxMl.ModelProto p = OnnxModelWriter.mlp(TestModels.randomMlp(1, 4, 3)).toProto();
    OnnxMl.GraphProto g =
        p.getGraph().toBuilder()
            .addInitializer(
                OnnxMl.TensorProto.newBuilder()
                    .setName("unused")
                    .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                    .addDims(1)
                    .addFloatData(1f))
            .build();
    Files.write(work.resolve("noisy.onnx"), p.toBuilder().setGraph(g).build().toByteArray());

    ok(
        shell.bash(
            "./vouch model push noisy.onnx --name noisy\n"
                + "./vouch devnet status --await-model noisy@1\n"));

    for (Path log : nodeLogs()) {
      assertThat(log).content().contains("serving noisy@1");
    }
  }

  @Test
  @Order(7)
  void noLibraryNoiseReachedTheUser() throws Exception {
    List<String> outputs = new ArrayList<>();
    for (Run r : seen) {
      outputs.add(r.out());
      outputs.add(r.err());
    }
    for (Path log : nodeLogs()) {
      outputs.add(Files.readString(log));
    }
    outputs.add(Files.readString(work.resolve(".vouch/devnet/supervisor.log")));

    assertThat(outputs)
        .isNotEmpty()
        .allSatisfy(o ->
            assertThat(o)
                .doesNotContain("SLF4J")
                .doesNotContain("Generating ")
                .doesNotContain("\u001b[")
                .doesNotContain("[W:onnxruntime")
                .doesNotContain("sun.misc.Unsafe"));
  }

  @Test
  @Order(8)
  void anvilKilledIsReportedByStatusWithTheFix() throws Exception {
    long anvil = status().get("anvilPid").asLong();
    assertThat(anvil).isPositive();
    ProcessHandle.of(anvil).orElseThrow().destroyForcibly();

    Run r = null;
    for (int i = 0; i < 120; i++) {
      r = shell.bash("./vouch devnet status\n");
      if (r.out().contains("DOWN: anvil (pid")) {
        break;
      }
      Thread.sleep(250);
    }

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.out())
        .contains("chain")
        .contains("DOWN: anvil (pid " + anvil + ") exited")
        .contains("vouch devnet down, then vouch devnet up");
    assertThat(status().get("chainUp").asBoolean()).isFalse();
  }

  static List<Path> nodeLogs() throws Exception {
    try (Stream<Path> files = Files.list(work.resolve(".vouch/devnet"))) {
      Predicate<Path> isNodeLog = f -> f.getFileName().toString().matches("node-\\d+\\.log");
      return files.filter(isNodeLog).sorted().toList();
    }
  }
}
