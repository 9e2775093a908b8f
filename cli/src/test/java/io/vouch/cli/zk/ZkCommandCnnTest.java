package io.vouch.cli.zk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.ConvNets;
import io.vouch.onnx.writer.OnnxGraphBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vouch zk compile|prove|verify} on LeNet-5: a convolutional graph end to end. */
class ZkCommandCnnTest {
  private static final String REQUEST = "0x" + "cd".repeat(32);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path onnx;
  static Path calibration;
  static ClassifierModel lenet;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void write() throws IOException {
    lenet = ConvNets.lenet5(3);
    onnx = Files.write(dir.resolve("lenet.onnx"), lenet.onnx());
    calibration =
        Files.writeString(
            dir.resolve("calibration.json"),
            TensorArguments.calibration("float32", lenet.inputShape(), lenet.inputs(1, 128)));
  }

  @Test
  void compileReportsTheGraphAndItsAgreementWithOnnxRuntime() throws IOException {
    Path model = dir.resolve("report.zkmodel");
    int exit =
        zk(
            "compile",
            onnx.toString(),
            "--calibration",
            calibration.toString(),
            "--out",
            model.toString(),
            "--json");

    assertThat(exit).as(err.toString()).isZero();
    JsonNode report = JSON.readTree(out.toString());
    List<String> kinds = new ArrayList<>();
    report.get("ops").forEach(op -> kinds.add(op.get("kind").asText()));
    assertThat(kinds).containsSubsequence("Conv", "MaxPool", "Conv", "MaxPool", "Dense", "Dense");
    assertThat(report.get("agreementReference").asText()).isEqualTo("ONNX Runtime");
    assertThat(report.get("topOneAgreement").asDouble()).isGreaterThanOrEqualTo(0.99);
    assertThat(report.get("meanCosineSimilarity").asDouble()).isGreaterThan(0.99);
  }

  @Test
  void aProofOfLenetVerifiesAndAWrongOutputDoesNot() throws IOException {
    Path model = dir.resolve("lenet.zkmodel");
    assertThat(
            zk(
                "compile",
                onnx.toString(),
                "--calibration",
                calibration.toString(),
                "--out",
                model.toString()))
        .as(err.toString())
        .isZero();
    String input = TensorArguments.tensor("float32", lenet.inputShape(), lenet.inputs(7, 1)[0]);
    Path proof = dir.resolve("lenet.proof");
    ZkCommandCnnTest prove = new ZkCommandCnnTest();
    assertThat(
            prove.zk(
                "prove",
                "--model",
                model.toString(),
                "--input",
                input,
                "--request-id",
                REQUEST,
                "--out",
                proof.toString(),
                "--json"))
        .as(prove.err.toString())
        .isZero();
    JsonNode proved = JSON.readTree(prove.out.toString());
    String logits = proved.get("logits").toString();

    assertThat(
            zk(
                "verify",
                "--model",
                model.toString(),
                "--proof",
                proof.toString(),
                "--input",
                input,
                "--output",
                logits,
                "--request-id",
                REQUEST))
        .as(err.toString())
        .isZero();
    long[] wrong = new long[proved.get("logits").size()];
    for (int i = 0; i < wrong.length; i++) {
      wrong[i] = proved.get("logits").get(i).asLong() + (i == 0 ? 1 : 0);
    }
    ZkCommandCnnTest verify = new ZkCommandCnnTest();
    assertThat(
            verify.zk(
                "verify",
                "--model",
                model.toString(),
                "--proof",
                proof.toString(),
                "--input",
                input,
                "--output",
                java.util.Arrays.toString(wrong),
                "--request-id",
                REQUEST))
        .isEqualTo(1);
  }

  @Test
  void aTooLowAgreementIsRefusedWithExitTwo() {
    // calibrated on uniform noise instead of inputs like the model's, and held to 100 %
    int exit =
        zk(
            "compile",
            onnx.toString(),
            "--out",
            dir.resolve("low.zkmodel").toString(),
            "--min-agreement",
            "1.0");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "output 'output' (measured automatically, top-1 agreement over 256 rows of length")
        .contains("% is below --min-agreement 1.")
        .contains("set --min-agreement if this accuracy is enough");
    assertThat(dir.resolve("low.zkmodel")).doesNotExist();
  }

  @Test
  void everyUnsupportedOpIsListedAtOnce() throws IOException {
    OnnxGraphBuilder b = OnnxGraphBuilder.graph("rnn-ish");
    String x = b.input("input", -1, 1, 8, 8);
    String h =
        b.node(
            "Conv",
            "conv",
            List.of(x, b.initializer("w", new float[9], 1, 1, 3, 3)),
            Map.of("kernel_shape", new long[] {3, 3}));
    h = b.node("Softsign", "softsign_gate", List.of(h), Map.of());
    h = b.node("HardSwish", "hardswish_gate", List.of(h), Map.of());
    h = b.node("Flatten", "flat", List.of(h), Map.of("axis", 1L));
    b.nodeTo(
        "Gemm",
        "head",
        List.of(h, b.initializer("hw", new float[72], 2, 36)),
        "output",
        Map.of("transB", 1L));
    b.output("output", -1, 2);
    Path bad = Files.write(dir.resolve("bad.onnx"), b.toBytes());

    assertThat(zk("compile", bad.toString(), "--out", dir.resolve("bad.zkmodel").toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("unsupported ops (2)")
        .contains("'Softsign' at node 'softsign_gate'")
        .contains("'HardSwish' at node 'hardswish_gate'");
  }

  private int zk(String... args) {
    CommandLine cl = new CommandLine(new ZkCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
