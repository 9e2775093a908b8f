package io.vouch.cli.zk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import io.vouch.onnx.writer.OnnxGraphBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vouch zk compile}'s accuracy rule as a user meets it (a new JVM per call): an output
 * without a class axis is held to cosine similarity and max relative error, one value per row to
 * max relative error, a class axis to top-1 as before, {@code --task} overrides the choice; an
 * output that falls short is refused with exit 2, a message naming the output, the measure, the
 * value, the threshold and the fix, and no file written.
 */
public class ZkCompileAccuracyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROWS = 4, WIDTH = 8, EMBEDDING = 6, FEATURES = 8;

  @TempDir static Path dir;
  static VouchProcess vouch;
  static Path embedder;
  static Path regressor;
  static Path linear;

  @BeforeAll
  static void writeModels() throws Exception {
    vouch = new VouchProcess(dir);
    embedder = Files.write(dir.resolve("embedder.onnx"), embedder(3));
    regressor = Files.write(dir.resolve("regressor.onnx"), regressor(4));
    linear = Files.write(dir.resolve("linear.onnx"), linearWithASmallWeight());
  }

  @Test
  void anOutputOfSeveralRowsIsHeldToCosineAndMaxRelativeError() throws Exception {
    Path out = dir.resolve("embedder.zkmodel");
    Run r = vouch.run("zk", "compile", embedder.toString(), "--out", out.toString(), "--json");

    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode a = JSON.readTree(r.out()).get("accuracy").get(0);
    assertThat(a.get("output").asText()).isEqualTo("embedding");
    assertThat(a.get("task").asText()).isEqualTo("embed");
    assertThat(a.get("rowLength").asInt()).isEqualTo(EMBEDDING);
    assertThat(a.get("rows").asInt()).isEqualTo(256 * ROWS);
    assertThat(a.get("meanCosineSimilarity").asDouble()).isBetween(0.99, 1.0);
    assertThat(a.get("maxRelativeError").asDouble()).isBetween(0.0, 0.2).isPositive();
    assertThat(out).exists();
  }

  @Test
  void theTextReportNamesTheMeasureOfEachOutput() {
    Path out = dir.resolve("embedder-text.zkmodel");
    Run r = vouch.run("zk", "compile", embedder.toString(), "--out", out.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .containsPattern("output embedding mean cosine similarity 0\\.99\\d+ \\(worst row")
        .contains("max relative error 0.")
        .contains("(embed, chosen from its shape; int8 vs ONNX Runtime on 256 calibration inputs");
  }

  @Test
  void aCosineThresholdTheModelCannotMeetIsRefusedAndNothingIsWritten() {
    Path out = dir.resolve("refused-embedder.zkmodel");
    Run r =
        vouch.run(
            "zk", "compile", embedder.toString(), "--out", out.toString(), "--min-cosine", "1");

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .contains("output 'embedding' (measured automatically, cosine similarity over 1024 rows")
        .containsPattern("mean cosine similarity 0\\.99\\d+ is below --min-cosine 1\\.")
        .contains("--calibration FILE")
        .contains("set --min-cosine if this accuracy is enough")
        .contains("--task (classify, embed or regress)")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(out).doesNotExist();
  }

  @Test
  void oneValuePerRowIsHeldToMaxRelativeError() throws Exception {
    Run r =
        vouch.run(
            "zk",
            "compile",
            regressor.toString(),
            "--out",
            dir.resolve("regressor.zkmodel").toString(),
            "--json");

    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode a = JSON.readTree(r.out()).get("accuracy").get(0);
    assertThat(a.get("task").asText()).isEqualTo("regress");
    assertThat(a.get("measure").asText()).isEqualTo("max relative error");
    assertThat(a.get("rowLength").asInt()).isEqualTo(1);
    assertThat(a.get("maxRelativeError").asDouble()).isBetween(0.0, 0.2).isPositive();
  }

  @Test
  void aRelativeErrorThresholdTheRegressorCannotMeetIsRefusedAndNothingIsWritten() {
    Path out = dir.resolve("refused-regressor.zkmodel");
    Run r =
        vouch.run(
            "zk",
            "compile",
            regressor.toString(),
            "--out",
            out.toString(),
            "--max-relative-error",
            "0.0001");

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "output 'value' (measured automatically, max relative error over 256 rows of length 1 ")
        .containsPattern("max relative error 0\\.\\d{4} \\(of the output's full scale\\)")
        .contains("is above --max-relative-error 0.0001")
        .contains("set --max-relative-error if this accuracy is enough");
    assertThat(out).doesNotExist();
  }

  /**
   * A genuinely inaccurate integer model, not an impossible threshold: the calibration inputs put
   * one feature in [0, 1000) and seven in [0, 1), so the one int8 scale of the input rounds the
   * seven that carry the output to nothing.
   */
  @Test
  void anInputOfHugeDynamicRangeIsRefusedAtTheDefaultThreshold() throws Exception {
    SplittableRandom r = new SplittableRandom(9);
    int n = 128;
    float[] flat = new float[n * FEATURES];
    for (int i = 0; i < n; i++) {
      flat[i * FEATURES] = (float) (1000 * r.nextDouble());
      for (int j = 1; j < FEATURES; j++) {
        flat[i * FEATURES + j] = (float) r.nextDouble();
      }
    }
    Path calibration =
        Files.writeString(
            dir.resolve("wide-calibration.json"),
            "[" + TensorArguments.tensor("float32", new int[] {n, FEATURES}, flat) + "]");
    Path out = dir.resolve("linear.zkmodel");

    Run run =
        vouch.run(
            "zk",
            "compile",
            linear.toString(),
            "--calibration",
            calibration.toString(),
            "--out",
            out.toString());

    assertThat(run.code()).as(run.toString()).isEqualTo(2);
    assertThat(run.err())
        .contains("output 'value'")
        .contains("is above --max-relative-error 0.2")
        .contains("Calibrate on more inputs like the ones the model will see");
    assertThat(out).doesNotExist();

    // the same model on inputs of one range is accurate
    Run fine = vouch.run("zk", "compile", linear.toString(), "--out", out.toString(), "--json");
    assertThat(fine.code()).as(fine.toString()).isZero();
    assertThat(JSON.readTree(fine.out()).get("accuracy").get(0).get("maxRelativeError").asDouble())
        .isLessThan(0.2);
  }

  @Test
  void taskOverridesTheChoiceFromTheShape() throws Exception {
    // --task classify holds each of the embedder's rows of 6 to top-1, which it does not meet
    Path out = dir.resolve("embedder-classify.zkmodel");
    Run classify =
        vouch.run(
            "zk", "compile", embedder.toString(), "--out", out.toString(), "--task", "classify");

    assertThat(classify.code()).as(classify.toString()).isEqualTo(2);
    assertThat(classify.err())
        .contains("output 'embedding' (--task classify, top-1 agreement over 1024 rows of length 6")
        .containsPattern("top-1 agreement \\d+\\.\\d\\d % is below --min-agreement 0.99\\.")
        .contains("set --min-agreement if this accuracy is enough");
    assertThat(out).doesNotExist();

    Run regress =
        vouch.run(
            "zk",
            "compile",
            embedder.toString(),
            "--out",
            out.toString(),
            "--task",
            "regress",
            "--json");
    assertThat(regress.code()).as(regress.toString()).isZero();
    assertThat(JSON.readTree(regress.out()).get("accuracy").get(0).get("task").asText())
        .isEqualTo("regress");
  }

  @Test
  void aTaskOutsideItsValuesIsAUsageError() {
    Run bad = vouch.run("zk", "compile", embedder.toString(), "--task", "cluster");

    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--task").contains("auto, classify, embed, regress");
  }

  @Test
  void aThresholdOutOfRangeIsRefusedNamingTheFlag() {
    Run bad = vouch.run("zk", "compile", embedder.toString(), "--min-cosine", "1.5");

    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--min-cosine must be in [-1, 1], got 1.5");
  }

  /**
   * features float32 [N, 4, 8] → MatMul [8, 16], Relu → MatMul [16, 6] + bias → embedding float32
   * [N, 4, 6].
   */
  static byte[] embedder(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    OnnxGraphBuilder b = OnnxGraphBuilder.graph("embedder").opset(17);
    b.input("features", -1, ROWS, WIDTH);
    String w1 = b.initializer("w1", uniform(r, WIDTH * 16, 0.8), WIDTH, 16);
    String h = b.node("MatMul", "hidden", List.of("features", w1), Map.of());
    h = b.node("Relu", "relu", List.of(h), Map.of());
    String w2 = b.initializer("w2", uniform(r, 16 * EMBEDDING, 0.5), 16, EMBEDDING);
    String bias = b.initializer("bias", uniform(r, EMBEDDING, 0.1), EMBEDDING);
    h = b.node("MatMul", "project", List.of(h, w2), Map.of());
    b.nodeTo("Add", "shift", List.of(h, bias), "embedding", Map.of());
    b.output("embedding", -1, ROWS, EMBEDDING);
    return b.toBytes();
  }

  /** x float32 [N, 8] → Gemm 16, Relu → Gemm 1: value float32 [N, 1]. */
  public static byte[] regressor(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    OnnxGraphBuilder b = OnnxGraphBuilder.graph("regressor").opset(17);
    b.input("x", -1, FEATURES);
    String w1 = b.initializer("w1", uniform(r, 16 * FEATURES, 0.8), 16, FEATURES);
    String b1 = b.initializer("b1", uniform(r, 16, 0.1), 16);
    String h = b.node("Gemm", "fc1", List.of("x", w1, b1), Map.of("transB", 1L));
    h = b.node("Relu", "relu", List.of(h), Map.of());
    String w2 = b.initializer("w2", uniform(r, 16, 0.5), 1, 16);
    String b2 = b.initializer("b2", new float[] {0.2f}, 1);
    b.nodeTo("Gemm", "fc2", List.of(h, w2, b2), "value", Map.of("transB", 1L));
    b.output("value", -1, 1);
    return b.toBytes();
  }

  /** value = relu(0.001·x0 + x1 + … + x7) · 1: value float32 [N, 1]. */
  static byte[] linearWithASmallWeight() {
    OnnxGraphBuilder b = OnnxGraphBuilder.graph("linear").opset(17);
    b.input("x", -1, FEATURES);
    float[] w = new float[FEATURES];
    java.util.Arrays.fill(w, 1f);
    w[0] = 0.001f;
    String wt = b.initializer("w", w, 1, FEATURES);
    String bias = b.initializer("b", new float[] {0f}, 1);
    String h = b.node("Gemm", "fc", List.of("x", wt, bias), Map.of("transB", 1L));
    h = b.node("Relu", "relu", List.of(h), Map.of());
    String one = b.initializer("one", new float[] {1f}, 1, 1);
    b.nodeTo("Gemm", "out", List.of(h, one, bias), "value", Map.of("transB", 1L));
    b.output("value", -1, 1);
    return b.toBytes();
  }

  private static float[] uniform(SplittableRandom r, int n, double limit) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((2 * r.nextDouble() - 1) * limit);
    }
    return v;
  }
}
