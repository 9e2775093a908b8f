package io.vouch.onnx.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxNode;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.testmodels.TestModels;
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
    assertThatThrownBy(() -> new GemmLayer(3, 2, new float[5], new float[2], GemmActivation.NONE))
        .hasMessageContaining("a 2x3 layer needs 6 weights, got 5");
  }

  @Test
  void mlpRejectsLayersThatDoNotChain() {
    GemmLayer first = new GemmLayer(3, 2, new float[6], new float[2], GemmActivation.RELU);
    GemmLayer second = new GemmLayer(4, 1, new float[4], new float[1], GemmActivation.NONE);
    assertThatThrownBy(() -> new Mlp(List.of(first, second)))
        .hasMessageContaining("layer 1 takes 4 inputs but layer 0 gives 2");
  }

  @Test
  void reluLayerClampsNegativeOutputsToZero() {
    GemmLayer layer =
        new GemmLayer(1, 2, new float[] {1f, -1f}, new float[] {0f, 0f}, GemmActivation.RELU);
    assertThat(layer.forward(new float[] {2f})).containsExactly(2f, 0f);
  }

  @Test
  void chainWithBatchNormalizationAndClipsRunsInOnnxRuntimeLikeItsJavaForwardPass() {
    Chain chain =
        Chain.of(
            5,
            TestModels.randomBatchNormalization(1, 5),
            TestModels.randomDense(2, 5, 4, GemmActivation.NONE),
            TestModels.randomBatchNormalization(3, 4),
            Clip.between(-0.5f, 0.5f),
            new UnaryOp("Relu"),
            Clip.atMost(0.25f),
            TestModels.randomDense(4, 4, 3, GemmActivation.NONE));
    OnnxModelFile file = OnnxModelFile.parse(OnnxModelWriter.chain(chain).toBytes());
    float[][] inputs = TestModels.randomInputs(5, 8, 5);
    float[] flat = new float[8 * 5];
    for (int r = 0; r < 8; r++) {
      System.arraycopy(inputs[r], 0, flat, r * 5, 5);
    }
    float[] actual;
    try (OnnxRuntimeEngine engine =
        OnnxRuntimeEngine.load(file, io.vouch.onnx.EngineOptions.DEFAULT)) {
      actual = engine.run(Tensor.ofFloats(new int[] {8, 5}, flat)).toFloats();
    }
    for (int r = 0; r < 8; r++) {
      float[] row = java.util.Arrays.copyOfRange(actual, r * 3, r * 3 + 3);
      assertThat(row)
          .as("row %d", r)
          .containsExactly(chain.forward(inputs[r]), Offset.offset(1e-5f));
    }
  }

  @Test
  void clipBoundsAreScalarInputsFromOpset11AndAttributesBefore() {
    Chain chain = Chain.of(2, TestModels.randomDense(1, 2, 2, GemmActivation.NONE), Clip.atMost(6));
    OnnxModelFile opset13 = OnnxModelFile.parse(OnnxModelWriter.chain(chain).toBytes());
    OnnxModelFile opset10 = OnnxModelFile.parse(OnnxModelWriter.chain(chain).opset(10).toBytes());

    assertThat(opset13.nodes().get(1).inputs())
        .containsExactly("dense_0/gemm_out", "", "clip_1.max");
    assertThat(opset13.initializer("clip_1.max").orElseThrow().shape()).isEmpty();
    assertThat(opset10.nodes().get(1).inputs()).containsExactly("dense_0/gemm_out");
    assertThat(opset10.proto().getGraph().getNode(1).getAttributeList())
        .extracting(a -> a.getName() + "=" + a.getF())
        .containsExactly("max=6.0");
  }

  @Test
  void chainRejectsABatchNormalizationOfTheWrongWidth() {
    assertThatThrownBy(() ->
            Chain.of(
                3,
                TestModels.randomDense(1, 3, 4, GemmActivation.RELU),
                TestModels.randomBatchNormalization(2, 3)))
        .hasMessageContaining("takes 3 values but receives 4");
  }
}
