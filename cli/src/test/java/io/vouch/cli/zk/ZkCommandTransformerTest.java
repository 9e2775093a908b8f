package io.vouch.cli.zk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.benchmodels.SequenceModels;
import io.vouch.benchmodels.TokenClassifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vouch zk compile|prove|verify} on the 2-layer transformer encoder: int64 token ids in,
 * attention, softmax and layer norms proved, the proof verified and another token sequence refused.
 */
class ZkCommandTransformerTest {
  private static final String REQUEST = "0x" + "ab".repeat(32);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int[] TOKENS = {1, SequenceModels.TOKENS};

  @TempDir static Path dir;
  static Path onnx;
  static Path model;
  static TokenClassifier transformer;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void compile() throws IOException {
    transformer = SequenceModels.transformerEncoder(3);
    onnx = Files.write(dir.resolve("transformer.onnx"), transformer.onnx());
    Path calibration =
        Files.writeString(
            dir.resolve("calibration.json"),
            TensorArguments.calibration("int64", TOKENS, transformer.inputs(1, 128)));
    model = dir.resolve("transformer.zkmodel");
    ZkCommandTransformerTest c = new ZkCommandTransformerTest();
    int exit =
        c.zk(
            "compile",
            onnx.toString(),
            "--calibration",
            calibration.toString(),
            "--out",
            model.toString(),
            "--json");
    assertThat(exit).as(c.err.toString()).isZero();
    JsonNode report = JSON.readTree(c.out.toString());
    List<String> kinds = new ArrayList<>();
    report.get("ops").forEach(op -> kinds.add(op.get("kind").asText()));
    assertThat(kinds).contains("Gather", "LayerNorm", "MatMul", "Softmax", "Table(x·Erf)");
    assertThat(report.get("topOneAgreement").asDouble()).isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void aProofOverTokensVerifiesAndAnotherTokenSequenceDoesNot() throws IOException {
    float[] tokens = transformer.inputs(7, 1)[0];
    String input = TensorArguments.tensor("int64", TOKENS, tokens);
    Path proof = dir.resolve("transformer.proof");
    ZkCommandTransformerTest prove = new ZkCommandTransformerTest();
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
    String logits = JSON.readTree(prove.out.toString()).get("logits").toString();

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
    tokens[5] = (tokens[5] + 1) % SequenceModels.VOCABULARY;
    String other = TensorArguments.tensor("int64", TOKENS, tokens);
    ZkCommandTransformerTest verify = new ZkCommandTransformerTest();
    assertThat(
            verify.zk(
                "verify",
                "--model",
                model.toString(),
                "--proof",
                proof.toString(),
                "--input",
                other,
                "--output",
                logits,
                "--request-id",
                REQUEST))
        .isEqualTo(1);
  }

  @Test
  void aTokenOutsideTheVocabularyIsAUsageError() {
    float[] tokens = transformer.inputs(8, 1)[0];
    tokens[0] = SequenceModels.VOCABULARY + 5;
    String input = TensorArguments.tensor("int64", TOKENS, tokens);
    int exit =
        zk(
            "prove",
            "--model",
            model.toString(),
            "--input",
            input,
            "--request-id",
            REQUEST,
            "--out",
            dir.resolve("bad.proof").toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("token ids in [0, 2304)");
  }

  private int zk(String... args) {
    CommandLine cl = new CommandLine(new ZkCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
