package io.vouch.cli.zk;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.onnx.testmodels.TestModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vouch zk compile|prove|verify} through picocli, on a small seeded random MLP. */
class ZkCommandTest {
  private static final String REQUEST =
      "0x" + "ab".repeat(32); // any 32 bytes; the proof is bound to it
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path onnx;
  static Path zkModel;
  static Path proof;
  static String input;
  static JsonNode proved;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Compiles and proves once; the tests below check the pieces. */
  @BeforeAll
  static void compileAndProve() throws IOException {
    onnx = dir.resolve("small.onnx");
    Files.write(onnx, TestModels.randomMlpOnnx(5, 32, 16, 4));
    zkModel = dir.resolve("small.zkmodel");
    proof = dir.resolve("small.proof");
    input =
        TensorArguments.tensor("float32", new int[] {1, 32}, TestModels.randomInputs(6, 1, 32)[0]);
    ZkCommandTest setup = new ZkCommandTest();
    assertThat(
            setup.zk(
                "compile", onnx.toString(), "--out", zkModel.toString(), "--min-agreement", "0.9"))
        .as(setup.err.toString())
        .isZero();
    setup = new ZkCommandTest();
    assertThat(
            setup.zk(
                "prove",
                "--model",
                zkModel.toString(),
                "--input",
                input,
                "--request-id",
                REQUEST,
                "--out",
                proof.toString(),
                "--json"))
        .as(setup.err.toString())
        .isZero();
    proved = JSON.readTree(setup.out.toString());
  }

  @Test
  void proofOfCompiledModelVerifies() {
    int exit = verify(proof, proved.get("logits").toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("verified");
  }

  @Test
  void proofWithOneFlippedByteIsRejectedWithExitOne() throws IOException {
    byte[] bytes = Files.readAllBytes(proof);
    bytes[bytes.length / 2] ^= 0x01;
    Path tampered = dir.resolve("tampered.proof");
    Files.write(tampered, bytes);

    assertThat(verify(tampered, proved.get("logits").toString())).isEqualTo(1);
    assertThat(out.toString()).startsWith("NOT verified");
  }

  @Test
  void wrongClaimedOutputIsRejectedWithExitOne() {
    long[] logits = new long[proved.get("logits").size()];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = proved.get("logits").get(i).asLong();
    }
    logits[0] += 1;

    assertThat(verify(proof, Arrays.toString(logits))).isEqualTo(1);
  }

  @Test
  void compilingTwiceGivesTheSameModelId() throws IOException {
    Path again = dir.resolve("again.zkmodel");
    zk("compile", onnx.toString(), "--out", again.toString(), "--min-agreement", "0.9");

    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(zkModel));
    assertThat(proved.get("zkModelId").asText()).startsWith("0x").hasSize(66);
  }

  @Test
  void compileReportsShapesShiftsAndAgreementAsJson() throws IOException {
    int exit =
        zk(
            "compile",
            onnx.toString(),
            "--out",
            dir.resolve("json.zkmodel").toString(),
            "--min-agreement",
            "0.9",
            "--json");

    assertThat(exit).isZero();
    JsonNode report = JSON.readTree(out.toString());
    assertThat(report.get("zkModelId").asText()).isEqualTo(proved.get("zkModelId").asText());
    assertThat(report.get("ops").get(0).get("shift").asInt()).isPositive();
    assertThat(report.get("ops").get(1).get("requantization").asText()).isEqualTo("logits");
    assertThat(report.get("agreementReference").asText()).isEqualTo("ONNX Runtime");
    assertThat(report.get("topOneAgreement").asDouble()).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void unsupportedOpIsRefusedWithExitTwoNamingTheOp() throws IOException {
    OnnxMl.ModelProto.Builder model =
        OnnxMl.ModelProto.parseFrom(TestModels.randomMlpOnnx(5, 32, 16, 4)).toBuilder();
    for (OnnxMl.NodeProto.Builder node : model.getGraphBuilder().getNodeBuilderList()) {
      if (node.getOpType().equals("Relu")) {
        node.setOpType("Softsign");
      }
    }
    Path softsign = dir.resolve("softsign.onnx");
    Files.write(softsign, model.build().toByteArray());

    assertThat(zk("compile", softsign.toString(), "--out", dir.resolve("x.zkmodel").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("unsupported op 'Softsign'");
  }

  @Test
  void alteredModelFileIsRefusedWithExitTwo() throws IOException {
    byte[] bytes = Files.readAllBytes(zkModel);
    bytes[bytes.length - 40] ^= 0x01; // a weight of the last layer
    Path altered = dir.resolve("altered.zkmodel");
    Files.write(altered, bytes);

    int exit =
        zk("prove", "--model", altered.toString(), "--input", input, "--request-id", REQUEST);

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("altered");
  }

  @Test
  void shortRequestIdIsBadInput() {
    assertThat(
            zk("prove", "--model", zkModel.toString(), "--input", input, "--request-id", "0xabcd"))
        .isEqualTo(2);
  }

  private int verify(Path proofFile, String logits) {
    return zk(
        "verify",
        "--model",
        zkModel.toString(),
        "--proof",
        proofFile.toString(),
        "--input",
        input,
        "--output",
        logits,
        "--request-id",
        REQUEST);
  }

  private int zk(String... args) {
    CommandLine cl = new CommandLine(new ZkCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
