package io.vouch.onnx.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxNode;
import io.vouch.onnx.OnnxRuntimeEngine;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class OnnxModelWriterTest {
  @Test
  void written784x128x10MlpRunsInOnnxRuntimeLikeTheJavaForwardPass() {
    Mlp mlp = TestModels.mnistSizedMlp(2026);
    OnnxModelFile file = OnnxModelFile.parse(OnnxModelWriter.mlp(mlp).toBytes());
    int rows = 16;
    float[][] inputs = TestModels.randomInputs(7, rows, 784);
    float[] flat = new float[rows * 784];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(inputs[r], 0, flat, r * 784, 784);
    }
    float[] actual;
    try (OnnxRuntimeEngine engine =
        OnnxRuntimeEngine.load(file, io.vouch.onnx.EngineOptions.DEFAULT)) {
      actual = engine.run(Tensor.ofFloats(new int[] {rows, 784}, flat)).toFloats();
    }
    for (int r = 0; r < rows; r++) {
      float[] expected = mlp.forward(inputs[r]);
      float[] row = java.util.Arrays.copyOfRange(actual, r * 10, r * 10 + 10);
      assertThat(row).as("row %d", r).containsExactly(expected, Offset.offset(1e-5f));
    }
  }

  @Test
  void writtenModelHasGemmReluGemmWithDynamicBatchAndOpset13() {
    OnnxModelFile file =
        OnnxModelFile.parse(OnnxModelWriter.mlp(TestModels.randomMlp(1, 6, 5, 4)).toBytes());
    assertThat(file.nodes()).extracting(OnnxNode::opType).containsExactly("Gemm", "Relu", "Gemm");
    assertThat(file.inputs().get(0).shape()).containsExactly(-1, 6);
    assertThat(file.outputs().get(0).shape()).containsExactly(-1, 4);
    assertThat(file.opsetVersion()).isEqualTo(13);
  }

  @Test
  void theSameModelAlwaysGivesTheSameBytes() {
    byte[] first =
        OnnxModelWriter.mlp(TestModels.randomMlp(3, 10, 8, 2)).metadata("k", "v").toBytes();
    byte[] second =
        OnnxModelWriter.mlp(TestModels.randomMlp(3, 10, 8, 2)).metadata("k", "v").toBytes();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void differentSeedsGiveDifferentWeights() {
    assertThat(TestModels.randomMlp(1, 10, 2)).isNotEqualTo(TestModels.randomMlp(2, 10, 2));
  }

  @Test
  void metadataIsWrittenInInsertionOrder() {
    OnnxModelFile file =
        OnnxModelFile.parse(
            OnnxModelWriter.mlp(TestModels.randomMlp(1, 3, 2))
                .metadata("b", "2")
                .metadata("a", "1")
                .toBytes());
    assertThat(file.proto().getMetadataPropsList())
        .extracting(e -> e.getKey() + "=" + e.getValue())
        .containsExactly("b=2", "a=1");
  }

  @Test
  void customInputAndOutputNamesAppearInTheSchema() {
    OnnxModelFile file =
        OnnxModelFile.parse(
            OnnxModelWriter.mlp(TestModels.randomMlp(1, 3, 2))
                .inputName("features")
                .outputName("logits")
                .toBytes());
    assertThat(file.schema().inputNames()).containsExactly("features");
    assertThat(file.schema().outputNames()).containsExactly("logits");
  }

  @Test
  void denseLayerRejectsAWrongWeightCount() {
    assertThatThrownBy(() -> new DenseLayer(3, 2, new float[5], new float[2], Activation.NONE))
        .hasMessageContaining("a 2x3 layer needs 6 weights, got 5");
  }

  @Test
  void mlpRejectsLayersThatDoNotChain() {
    DenseLayer first = new DenseLayer(3, 2, new float[6], new float[2], Activation.RELU);
    DenseLayer second = new DenseLayer(4, 1, new float[4], new float[1], Activation.NONE);
    assertThatThrownBy(() -> new Mlp(List.of(first, second)))
        .hasMessageContaining("layer 1 takes 4 inputs but layer 0 gives 2");
  }

  @Test
  void reluLayerClampsNegativeOutputsToZero() {
    DenseLayer layer =
        new DenseLayer(1, 2, new float[] {1f, -1f}, new float[] {0f, 0f}, Activation.RELU);
    assertThat(layer.forward(new float[] {2f})).containsExactly(2f, 0f);
  }
}
