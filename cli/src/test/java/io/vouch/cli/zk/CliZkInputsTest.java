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
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vouch zk compile|prove|verify} as a user runs them (a new JVM per call, like {@code
 * CliErrorsTest}) on a model of two inputs, int64 token ids and float32 features: compiled without
 * calibration (the token ids drawn within the embedding table, and said so), proved with {@code
 * --input NAME=@FILE} per input, verified with one JSON object of named tensors; and each mistake —
 * a missing input, an unknown one, a wrong dtype, a wrong shape, an absent file, a calibration
 * entry of the wrong dtype — refused with exit 2 and a message that names the input and the fix,
 * without a stack trace or a Java class name.
 */
class CliZkInputsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REQUEST = "0x" + "5e".repeat(32);
  private static final int LENGTH = 8, VOCABULARY = 50, WIDTH = 16, HIDDEN = 32, CLASSES = 4;
  private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s*at [\\w.$]+\\(");
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*\\b");

  @TempDir static Path dir;
  static VouchProcess vouch;
  static Path onnx;
  static Path model;
  static Run compiled;
  static float[] tokens;
  static float[] features;

  @BeforeAll
  static void compileWithoutCalibration() throws Exception {
    vouch = new VouchProcess(dir);
    onnx = Files.write(dir.resolve("tagger.onnx"), tagger(11));
    model = dir.resolve("tagger.zkmodel");
    SplittableRandom r = new SplittableRandom(5);
    tokens = new float[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      tokens[i] = r.nextInt(VOCABULARY);
    }
    features = new float[LENGTH * WIDTH];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) r.nextDouble();
    }
    Files.writeString(dir.resolve("tokens.json"), tokensJson(tokens));
    Files.writeString(dir.resolve("features.json"), featuresJson(features));
    compiled = vouch.run("zk", "compile", onnx.toString(), "--out", model.toString());
    assertThat(compiled.code()).as(compiled.toString()).isZero();
  }

  @Test
  void compileWithoutCalibrationSaysItGeneratedTokenIdsWithinTheEmbeddingTable() {
    assertThat(compiled.out())
        .contains("256 inputs generated (no --calibration; seed 1)")
        .contains("tokens int64 [N, 8]: ids uniform in [0, 50), the rows of table 'embedding'")
        .contains("features float32 [N, 8, 16]: values uniform in [0, 1)")
        .contains("give --calibration FILE")
        .contains("int8 vs ONNX Runtime")
        .contains("input tokens")
        .contains("token ids in [0, 50)");
  }

  @Test
  void compileJsonNamesTheGeneratedCalibrationPerInput() throws Exception {
    Run r =
        vouch.run(
            "zk",
            "compile",
            onnx.toString(),
            "--out",
            dir.resolve("j.zkmodel").toString(),
            "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode cal = JSON.readTree(r.out()).get("calibration");
    assertThat(cal.get("source").asText()).isEqualTo("generated");
    assertThat(cal.get("inputs").get(0).get("name").asText()).isEqualTo("tokens");
    assertThat(cal.get("inputs").get(0).get("distribution").asText())
        .isEqualTo("token ids uniform in [0, 50)");
    assertThat(cal.get("inputs").get(0).get("table").asText()).isEqualTo("embedding");
    assertThat(cal.get("inputs").get(1).get("distribution").asText())
        .isEqualTo("uniform in [0, 1)");
    assertThat(JSON.readTree(r.out()).get("agreementReference").asText()).isEqualTo("ONNX Runtime");
  }

  @Test
  void aProofFromNamedFilesVerifiesFromOneObjectOfNamedTensorsAndNotForOtherTokens()
      throws Exception {
    Path proof = dir.resolve("tagger.proof");
    Run p =
        vouch.run(
            "zk",
            "prove",
            "--model",
            model.toString(),
            "--input",
            "tokens=@" + dir.resolve("tokens.json"),
            "--input",
            "features=@" + dir.resolve("features.json"),
            "--request-id",
            REQUEST,
            "--out",
            proof.toString(),
            "--json");
    assertThat(p.code()).as(p.toString()).isZero();
    String logits = JSON.readTree(p.out()).get("logits").toString();
    Path both =
        Files.writeString(
            dir.resolve("both.json"),
            "{\"features\":" + featuresJson(features) + ",\"tokens\":" + tokensJson(tokens) + "}");

    Run v = verify(proof, logits, "--input-file", both.toString());
    assertThat(v.code()).as(v.toString()).isZero();
    assertThat(v.out()).startsWith("verified");

    float[] other = tokens.clone();
    other[3] = (other[3] + 1) % VOCABULARY;
    Run w =
        verify(
            proof,
            logits,
            "--input",
            "tokens=" + tokensJson(other),
            "--input",
            "features=@" + dir.resolve("features.json"));
    assertThat(w.code()).as(w.toString()).isEqualTo(1);
    assertThat(w.out()).startsWith("NOT verified");
  }

  @Test
  void compileTakesACalibrationFileOfNamedTensorsABatchAxisGivingSeveralInputs() throws Exception {
    // 32 entries of one input each, then one entry holding a batch of 32: 64 inputs in all
    StringBuilder entries = new StringBuilder("[");
    SplittableRandom r = new SplittableRandom(9);
    for (int n = 0; n < 32; n++) {
      float[][] one = drawn(r, 1);
      entries.append("{\"tokens\":").append(tokensJson(one[0]));
      entries.append(",\"features\":").append(featuresJson(one[1])).append("},");
    }
    float[][] batch = drawn(r, 32);
    entries.append("{\"tokens\":");
    entries.append(TensorArguments.tensor("int64", new int[] {32, LENGTH}, batch[0]));
    entries.append(",\"features\":");
    entries.append(TensorArguments.tensor("float32", new int[] {32, LENGTH, WIDTH}, batch[1]));
    entries.append('}');
    Path calibration = Files.writeString(dir.resolve("calibration.json"), entries + "]");
    Run c =
        vouch.run(
            "zk",
            "compile",
            onnx.toString(),
            "--calibration",
            calibration.toString(),
            "--min-agreement",
            "0.95", // seeded random weights leave a few close calls among 64 inputs
            "--out",
            dir.resolve("calibrated.zkmodel").toString());
    assertThat(c.code()).as(c.toString()).isZero();
    assertThat(c.out()).contains("calibration     64 inputs from " + calibration);
    assertThat(c.out()).doesNotContain("generated");
  }

  @Test
  void aMissingInputIsRefusedNamingItAndHowToGiveIt() {
    Run r = prove("--input", "tokens=@" + dir.resolve("tokens.json"));
    failsCleanly(r, "missing input 'features'", "--input features=@FILE");
  }

  @Test
  void anUnknownInputIsRefusedNamingTheInputsTheModelTakes() {
    Run r =
        prove(
            "--input",
            "tokens=@" + dir.resolve("tokens.json"),
            "--input",
            "feature=@" + dir.resolve("features.json"));
    failsCleanly(r, "unknown input 'feature'", "features: float32 values shaped [8, 16]");
  }

  @Test
  void oneUnnamedTensorForTwoInputsIsRefusedAskingForNames() {
    Run r = prove("--input", tokensJson(tokens));
    failsCleanly(r, "the model takes 2 inputs; give each by name", "--input NAME=@FILE");
  }

  @Test
  void tokenIdsAsFloatsAreAWrongDtypeNamingTheOneToWrite() throws Exception {
    Path floats =
        Files.writeString(
            dir.resolve("float-tokens.json"),
            TensorArguments.tensor("float32", new int[] {1, LENGTH}, tokens));
    Run r =
        prove(
            "--input", "tokens=@" + floats, "--input", "features=@" + dir.resolve("features.json"));
    failsCleanly(
        r,
        "input 'tokens' is float32 but the ZK model takes integer token ids",
        "write \"dtype\":\"int64\"");
  }

  @Test
  void aShortTokenSequenceIsAWrongShapeNamingTheShapeTheModelTakes() {
    float[] seven = java.util.Arrays.copyOf(tokens, LENGTH - 1);
    Run r =
        prove(
            "--input",
            "tokens=" + TensorArguments.tensor("int64", new int[] {1, LENGTH - 1}, seven),
            "--input",
            "features=@" + dir.resolve("features.json"));
    failsCleanly(r, "input 'tokens' has shape [1, 7]", "takes 8 values shaped [8]", "[1, 8]");
  }

  @Test
  void aTokenOutsideTheEmbeddingTableIsRefusedWithTheRange() {
    float[] far = tokens.clone();
    far[2] = VOCABULARY + 3;
    Run r =
        prove(
            "--input",
            "tokens=" + tokensJson(far),
            "--input",
            "features=@" + dir.resolve("features.json"));
    failsCleanly(r, "input 'tokens' value 2 is 53", "token ids in [0, 50)");
  }

  @Test
  void anAbsentInputFileIsRefusedNamingIt() {
    Run r =
        prove(
            "--input",
            "tokens=@" + dir.resolve("tokens.json"),
            "--input",
            "features=@absent-features.json");
    failsCleanly(r, "no such file: absent-features.json");
  }

  @Test
  void aCalibrationEntryOfTheWrongDtypeIsRefusedBeforeCompiling() throws Exception {
    Path calibration =
        Files.writeString(
            dir.resolve("bad-calibration.json"),
            "[{\"tokens\":"
                + TensorArguments.tensor("float32", new int[] {1, LENGTH}, tokens)
                + ",\"features\":"
                + featuresJson(features)
                + "}]");
    Run r =
        vouch.run(
            "zk",
            "compile",
            onnx.toString(),
            "--calibration",
            calibration.toString(),
            "--out",
            dir.resolve("bad.zkmodel").toString());
    failsCleanly(r, "[0]: input 'tokens' is float32 but the model expects int64");
    assertThat(dir.resolve("bad.zkmodel")).doesNotExist();
  }

  @Test
  void aCalibrationEntryOfOneUnnamedTensorForTwoInputsIsRefusedAskingForAnObject()
      throws Exception {
    Path calibration =
        Files.writeString(dir.resolve("unnamed-calibration.json"), "[" + tokensJson(tokens) + "]");
    Run r =
        vouch.run(
            "zk",
            "compile",
            onnx.toString(),
            "--calibration",
            calibration.toString(),
            "--out",
            dir.resolve("unnamed.zkmodel").toString());
    failsCleanly(
        r,
        "[0]: the model takes 2 inputs; give each by name (one JSON object of named tensors",
        "tokens: int64 [N, 8], features: float32 [N, 8, 16]");
  }

  @Test
  void withoutAnyInputTheUsageNamesTheThreeForms() {
    Run r = vouch.run("zk", "prove", "--model", model.toString(), "--request-id", REQUEST);
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("--input").contains("--input-file").contains("--text");
  }

  /** {@code n} seeded inputs: their token ids, then their features, each concatenated. */
  private static float[][] drawn(SplittableRandom r, int n) {
    float[] t = new float[n * LENGTH];
    for (int i = 0; i < t.length; i++) {
      t[i] = r.nextInt(VOCABULARY);
    }
    float[] f = new float[n * LENGTH * WIDTH];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) r.nextDouble();
    }
    return new float[][] {t, f};
  }

  private static Run prove(String... inputs) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("zk", "prove", "--model", model.toString(), "--request-id", REQUEST));
    args.addAll(List.of(inputs));
    return vouch.run(args.toArray(String[]::new));
  }

  private static Run verify(Path proof, String logits, String... inputs) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "zk",
                "verify",
                "--model",
                model.toString(),
                "--proof",
                proof.toString(),
                "--output",
                logits,
                "--request-id",
                REQUEST));
    args.addAll(List.of(inputs));
    return vouch.run(args.toArray(String[]::new));
  }

  /** Exit 2, each fragment in the one-line message, no stack trace, no Java class name. */
  private static void failsCleanly(Run r, String... fragments) {
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).as(r.toString()).startsWith("vouch zk ");
    for (String f : fragments) {
      assertThat(r.err()).as(r.toString()).contains(f);
    }
    assertThat(STACK_FRAME.matcher(r.err()).find()).as(r.err()).isFalse();
    assertThat(CLASS_NAME.matcher(r.err()).find()).as(r.err()).isFalse();
    assertThat(r.out()).isEmpty();
  }

  private static String tokensJson(float[] ids) {
    return TensorArguments.tensor("int64", new int[] {1, LENGTH}, ids);
  }

  private static String featuresJson(float[] values) {
    return TensorArguments.tensor("float32", new int[] {1, LENGTH, WIDTH}, values);
  }

  /**
   * tokens int64 [N, 8] → an embedding of 50 rows × 16, plus features float32 [N, 8, 16],
   * flattened, a Relu layer of 32 and 4 logits: a model of two inputs of two dtypes, with seeded
   * weights.
   */
  static byte[] tagger(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    OnnxGraphBuilder b = OnnxGraphBuilder.graph("tagger").opset(17);
    b.int64Input("tokens", -1, LENGTH);
    b.input("features", -1, LENGTH, WIDTH);
    String emb = b.initializer("embedding", uniform(r, VOCABULARY * WIDTH, 1.0), VOCABULARY, WIDTH);
    String x = b.node("Gather", "embed", List.of(emb, "tokens"), Map.of("axis", 0L));
    x = b.node("Add", "mix", List.of(x, "features"), Map.of());
    x = b.node("Flatten", "flat", List.of(x), Map.of("axis", 1L));
    int in = LENGTH * WIDTH;
    String w1 = b.initializer("w1", uniform(r, HIDDEN * in, Math.sqrt(6.0 / in)), HIDDEN, in);
    String b1 = b.initializer("b1", uniform(r, HIDDEN, 0.05), HIDDEN);
    String h = b.node("Gemm", "fc1", List.of(x, w1, b1), Map.of("transB", 1L));
    h = b.node("Relu", "relu", List.of(h), Map.of());
    String w2 =
        b.initializer("w2", uniform(r, CLASSES * HIDDEN, Math.sqrt(6.0 / HIDDEN)), CLASSES, HIDDEN);
    String b2 = b.initializer("b2", uniform(r, CLASSES, 0.05), CLASSES);
    b.nodeTo("Gemm", "fc2", List.of(h, w2, b2), "output", Map.of("transB", 1L));
    b.output("output", -1, CLASSES);
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
