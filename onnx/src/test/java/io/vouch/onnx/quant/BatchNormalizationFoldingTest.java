package io.vouch.onnx.quant;

import static io.vouch.onnx.writer.GemmActivation.NONE;
import static io.vouch.onnx.writer.GemmActivation.RELU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.vouch.onnx.InvalidModelException;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.onnx.writer.BatchNormalization;
import io.vouch.onnx.writer.Chain;
import io.vouch.onnx.writer.ChainStep;
import io.vouch.onnx.writer.GemmLayer;
import io.vouch.onnx.writer.OnnxModelWriter;
import io.vouch.onnx.writer.UnaryOp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Folding BatchNormalization into dense layers, and the placements that are refused. */
class BatchNormalizationFoldingTest {
  private static final int IN = 12;
  private static final int HIDDEN = 10;
  private static final float[][] CENTRES = TestModels.clusterCentres(6, 3, IN);
  private static final float[][] INPUTS = TestModels.clusteredInputs(6, 200, CENTRES, 0.25);

  @Test
  void epsilonAttributeIsRespected() {
    // variances far below epsilon: ignoring epsilon would scale the channels tenfold
    assertFoldsLikeOnnxRuntime(
        OnnxModelWriter.chain(readout(dense(1, NONE), tinyVarianceNormalization(1e-2f), relu()))
            .toProto());
  }

  @Test
  void missingEpsilonAttributeMeansTheOnnxDefault() {
    OnnxMl.ModelProto proto =
        OnnxModelWriter.chain(readout(dense(2, NONE), tinyVarianceNormalization(1e-2f), relu()))
            .toProto();
    OnnxMl.GraphProto.Builder graph = proto.getGraph().toBuilder();
    graph.setNode(1, graph.getNode(1).toBuilder().clearAttribute());
    assertFoldsLikeOnnxRuntime(proto.toBuilder().setGraph(graph).build());
  }

  @Test
  void batchNormalizationAfterMatMulAndAddFoldsLikeAfterGemm() {
    OnnxMl.ModelProto gemm =
        OnnxModelWriter.chain(readout(dense(3, NONE), normalization(3), relu())).toProto();
    OnnxMl.ModelProto matMul = withMatMulAndAdd(gemm);
    assertFoldsLikeOnnxRuntime(matMul);
    assertThat(quantize(matMul)).isEqualTo(quantize(gemm));
  }

  @Test
  void consecutiveNormalizationsFoldTogether() {
    assertFoldsLikeOnnxRuntime(
        OnnxModelWriter.chain(
                readout(dense(4, RELU), normalization(4), normalization(5), dense(5, HIDDEN)))
            .toProto());
  }

  @Test
  void trainingModeBatchNormalizationIsRefused() {
    OnnxMl.ModelProto proto =
        OnnxModelWriter.chain(readout(dense(1, NONE), normalization(1), relu())).toProto();
    OnnxMl.GraphProto.Builder graph = proto.getGraph().toBuilder();
    graph.setNode(
        1, graph.getNode(1).toBuilder().addOutput("running_mean").addOutput("running_var"));
    assertRefused(
        proto.toBuilder().setGraph(graph).build(),
        "BatchNormalization at node 'bn_1' is in training mode (3 outputs)",
        "model.eval()");
  }

  @Test
  void trainingModeAttributeIsRefused() {
    OnnxMl.ModelProto proto =
        OnnxModelWriter.chain(readout(dense(1, NONE), normalization(1), relu()))
            .opset(15)
            .toProto();
    OnnxMl.GraphProto.Builder graph = proto.getGraph().toBuilder();
    graph.setNode(
        1,
        graph.getNode(1).toBuilder()
            .addAttribute(
                OnnxMl.AttributeProto.newBuilder()
                    .setName("training_mode")
                    .setType(OnnxMl.AttributeProto.AttributeType.INT)
                    .setI(1)));
    assertRefused(proto.toBuilder().setGraph(graph).build(), "'bn_1' is in training mode");
  }

  @Test
  void batchNormalizationBetweenTwoActivationsIsRefused() {
    assertRefused(
        OnnxModelWriter.chain(readout(dense(1, RELU), normalization(1), relu())).toProto(),
        "BatchNormalization at node 'bn_1' is followed by Relu at node 'relu_2'",
        "cannot be folded");
  }

  @Test
  void batchNormalizationAfterTheLastActivationIsRefused() {
    Chain chain =
        Chain.of(
            IN, dense(1, RELU), TestModels.randomDense(2, HIDDEN, 3, RELU), normalization(3, 3));
    assertRefused(
        OnnxModelWriter.chain(chain).toProto(),
        "BatchNormalization at node 'bn_2' has no Gemm or MatMul after it");
  }

  @Test
  void unsupportedOpBesideFoldedOpsIsStillRefusedByOpAndNode() {
    Chain chain =
        Chain.of(
            IN,
            dense(1, NONE),
            normalization(1),
            new UnaryOp("Tanh"),
            TestModels.randomDense(2, HIDDEN, 3, NONE));
    assertRefused(
        OnnxModelWriter.chain(chain).toProto(),
        "unsupported op 'Tanh' at node 'tanh_2'",
        "BatchNormalization, Clip");
  }

  /** The folded float layers compute ONNX Runtime's output, and the quantized model its top-1. */
  private static void assertFoldsLikeOnnxRuntime(OnnxMl.ModelProto proto) {
    OnnxModelFile file = OnnxModelFile.parse(proto.toByteArray());
    float[][] expected = OnnxRuntimeReference.run(file, INPUTS);
    var layers = MlpQuantizer.readLayers(file);
    for (int r = 0; r < INPUTS.length; r++) {
      double[] actual = OnnxRuntimeReference.foldedForward(layers, INPUTS[r]);
      for (int i = 0; i < actual.length; i++) {
        assertThat(actual[i])
            .as("input %d, output %d", r, i)
            .isCloseTo(expected[r][i], within(1e-4 + 1e-4 * Math.abs(expected[r][i])));
      }
    }
    IntegerModel model = MlpQuantizer.quantize(file, INPUTS).model();
    assertThat(OnnxRuntimeReference.topOneAgreement(model, INPUTS, expected))
        .isGreaterThanOrEqualTo(MlpQuantizer.MIN_AGREEMENT);
  }

  /**
   * The first Gemm (weights [out, in], transB = 1) rewritten as MatMul (weights [in, out]) + Add.
   */
  private static OnnxMl.ModelProto withMatMulAndAdd(OnnxMl.ModelProto proto) {
    OnnxMl.GraphProto.Builder graph = proto.getGraph().toBuilder();
    OnnxMl.NodeProto gemm = graph.getNode(0);
    OnnxMl.TensorProto weight =
        graph.getInitializerList().stream()
            .filter(t -> t.getName().equals(gemm.getInput(1)))
            .findFirst()
            .orElseThrow();
    int out = (int) weight.getDims(0), in = (int) weight.getDims(1);
    float[] w = new float[out * in];
    weight
        .getRawData()
        .asReadOnlyByteBuffer()
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(w);
    ByteBuffer transposed = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        transposed.putFloat(w[o * in + i]);
      }
    }
    graph.addInitializer(
        OnnxMl.TensorProto.newBuilder()
            .setName("matmul.weight")
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
            .addDims(in)
            .addDims(out)
            .setRawData(ByteString.copyFrom(transposed.array())));
    graph.setNode(
        0,
        OnnxMl.NodeProto.newBuilder()
            .setName("matmul")
            .setOpType("MatMul")
            .addInput(gemm.getInput(0))
            .addInput("matmul.weight")
            .addOutput("matmul_out"));
    graph.addNode(
        1,
        OnnxMl.NodeProto.newBuilder()
            .setName("add")
            .setOpType("Add")
            .addInput("matmul_out")
            .addInput(gemm.getInput(2))
            .addOutput(gemm.getOutput(0)));
    return proto.toBuilder().setGraph(graph).build();
  }

  private static IntegerModel quantize(OnnxMl.ModelProto proto) {
    return MlpQuantizer.quantize(OnnxModelFile.parse(proto.toByteArray()), INPUTS).model();
  }

  private static void assertRefused(OnnxMl.ModelProto proto, String... messageParts) {
    OnnxModelFile file = OnnxModelFile.parse(proto.toByteArray());
    var refusal =
        assertThatThrownBy(() -> MlpQuantizer.quantize(file, INPUTS))
            .isInstanceOf(InvalidModelException.class);
    for (String part : messageParts) {
      refusal.hasMessageContaining(part);
    }
  }

  private static Chain readout(ChainStep... hidden) {
    return TestModels.withNearestCentreReadout(Chain.of(IN, hidden), CENTRES);
  }

  private static GemmLayer dense(long seed, io.vouch.onnx.writer.GemmActivation activation) {
    return TestModels.randomDense(seed, IN, HIDDEN, activation);
  }

  private static GemmLayer dense(long seed, int width) {
    return TestModels.randomDense(seed, width, width, RELU);
  }

  private static UnaryOp relu() {
    return new UnaryOp("Relu");
  }

  private static BatchNormalization normalization(long seed) {
    return normalization(seed, HIDDEN);
  }

  private static BatchNormalization normalization(long seed, int channels) {
    return TestModels.randomBatchNormalization(seed, channels);
  }

  /** Variances of 1e-4 and the given epsilon, so that epsilon dominates. */
  private static BatchNormalization tinyVarianceNormalization(float epsilon) {
    BatchNormalization random = normalization(9);
    float[] variance = new float[HIDDEN];
    Arrays.fill(variance, 1e-4f);
    return new BatchNormalization(random.scale(), random.bias(), random.mean(), variance, epsilon);
  }
}
