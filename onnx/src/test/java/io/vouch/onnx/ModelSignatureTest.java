package io.vouch.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.onnx.writer.ClassLabels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a model takes and gives, read without a runtime, and checks made against it. */
class ModelSignatureTest {
  static final OnnxModelFile PLAIN = OnnxModelFile.parse(TestModels.randomMlpOnnx(5, 4, 3));
  static final List<String> LABELS = List.of("refund", "order_status", "other");

  @Test
  void labelsWrittenIntoAModelAreReadBackForItsOutputAndTheGraphIsUnchanged() {
    OnnxModelFile labelled = OnnxModelFile.parse(ClassLabels.write(PLAIN, LABELS));

    ModelSignature s = ModelSignature.of(labelled);

    assertThat(s.labelsOf("output")).contains(LABELS);
    assertThat(labelled.schema()).isEqualTo(PLAIN.schema());
    assertThat(labelled.initializerNames()).isEqualTo(PLAIN.initializerNames());
  }

  @Test
  void labelsThatDoNotMatchAnyOutputsClassCountAreRefused() {
    assertThatThrownBy(() -> ClassLabels.write(PLAIN, List.of("a", "b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 labels, but no output of the model has 2 classes")
        .hasMessageContaining("output: float32 [N, 3]");
  }

  @Test
  void aLabelsFileIsOneNamePerLineAndRefusesCommasAndRepeats() {
    assertThat(ClassLabels.parse("refund\n\n order_status \r\nother\n")).isEqualTo(LABELS);
    assertThatThrownBy(() -> ClassLabels.parse("a,b\n"))
        .hasMessageContaining("line 1: 'a,b' holds a comma");
    assertThatThrownBy(() -> ClassLabels.parse("a\nb\na\n"))
        .hasMessageContaining("line 3: 'a' is given twice");
    assertThatThrownBy(() -> ClassLabels.parse("\n \n")).hasMessageContaining("no labels");
  }

  @Test
  void thePredictedLabelIsTheLargestAlongTheLastAxisForEachRow() {
    ModelSignature s = ModelSignature.of(OnnxModelFile.parse(ClassLabels.write(PLAIN, LABELS)));
    Tensor logits = Tensor.ofFloats(new int[] {2, 3}, 0.1f, 2f, -1f, 5f, 0f, 5f);

    assertThat(s.predictedLabels("output", logits)).containsExactly("order_status", "refund");
    assertThat(s.predictedLabels("output", Tensor.ofFloats(new int[] {1, 2}, 1f, 2f))).isEmpty();
  }

  @Test
  void theJsonFormRoundTripsWithShapesAndLabels() {
    ModelSignature s = ModelSignature.of(OnnxModelFile.parse(ClassLabels.write(PLAIN, LABELS)));

    var json = s.toJson();

    assertThat(json.at("/inputs/0/shape").toString()).isEqualTo("[-1,4]");
    assertThat(json.at("/outputs/0/labels/1").asText()).isEqualTo("order_status");
    assertThat(json.get("schemaHash").asText()).isEqualTo(PLAIN.schema().schemaHash().toHex());
    assertThat(ModelSignature.fromJson(json)).isEqualTo(s);
  }

  @Test
  void inputsAreCheckedForNamesDtypesRanksAndFixedDimensionsNamingTheSchema() {
    ModelSchema schema = PLAIN.schema();
    Tensor good = Tensor.ofFloats(new int[] {2, 4}, new float[8]);
    schema.checkInputs(Map.of("input", good));

    assertThatThrownBy(() -> schema.checkInputs(Map.of("x", good)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT))
        .hasMessage("unknown input 'x'; the model takes input: float32 [N, 4]");
    assertThatThrownBy(() -> schema.checkInputs(Map.of()))
        .hasMessageStartingWith("missing input 'input'");
    assertThatThrownBy(() ->
            schema.checkInputs(Map.of("input", Tensor.ofDoubles(new int[] {1, 4}, new double[4]))))
        .hasMessageContaining("input 'input' is float64 but the model expects float32");
    assertThatThrownBy(() ->
            schema.checkInputs(Map.of("input", Tensor.ofFloats(new int[] {1, 5}, new float[5]))))
        .hasMessageContaining("has shape [1, 5] but the model expects [N, 4]");
    assertThatThrownBy(
            () -> schema.checkInputs(Map.of("input", Tensor.ofFloats(new int[] {4}, new float[4]))))
        .hasMessageContaining("has shape [4] (rank 1) but the model expects [N, 4] (rank 2)");
  }

  @Test
  void labelsNameOnlyTheOutputsWhoseLastDimensionIsTheirCount() {
    ModelSignature s =
        new ModelSignature(
            new ModelSchema(
                List.of(new TensorSpec("x", DType.FLOAT32, new int[] {-1, 4})),
                List.of(
                    new TensorSpec("logits", DType.FLOAT32, new int[] {-1, 3}),
                    new TensorSpec("embedding", DType.FLOAT32, new int[] {-1, 5}))),
            LABELS);

    assertThat(s.labelsOf("logits")).contains(LABELS);
    assertThat(s.labelsOf("embedding")).isEmpty();
    assertThat(s.toJson().at("/outputs/1").has("labels")).isFalse();
    assertThat(s.predictedLabels("embedding", Tensor.ofFloats(new int[] {1, 5}, 0, 0, 9, 0, 0)))
        .isEmpty();
    assertThat(ClassLabels.labelledOutputs(s.schema().outputs(), 3)).containsExactly("logits");
  }

  @Test
  void aSignatureWithoutLabelsLabelsNothing() {
    ModelSignature s =
        new ModelSignature(
            new ModelSchema(
                List.of(new TensorSpec("x", DType.FLOAT32, new int[] {1})),
                List.of(new TensorSpec("y", DType.FLOAT32, new int[] {1, 3}))),
            List.of());

    assertThat(s.labelsOf("y")).isEmpty();
    assertThat(s.toJson().at("/outputs/0").has("labels")).isFalse();
  }
}
