package io.vouch.onnx.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.OpGraphs;
import io.vouch.onnx.InvalidModelException;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.writer.OnnxGraphBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every operator form of the graph quantizer, in a small classifier built around it, against ONNX
 * Runtime on inputs it was not calibrated on: the integer outputs (dequantized) stay within the
 * stated error — mean cosine similarity ≥ 0.99 with the float outputs — and top-1 agrees on at
 * least 95 % of inputs.
 */
class GraphOpsQuantizationTest {
  @ParameterizedTest
  @EnumSource(OpGraphs.class)
  void integerSemanticsFollowOnnxRuntime(OpGraphs op) {
    ClassifierModel m = op.build(11);
    OnnxModelFile file = OnnxModelFile.parse(m.onnx());
    var q = GraphQuantizer.quantize(file, m.inputs(1, 200), 0.9);
    OnnxRuntimeAgreement fresh = OnnxRuntimeAgreement.measure(file, q.model(), m.inputs(2, 200));
    assertThat(fresh.meanCosine()).as(op + " cosine").isGreaterThanOrEqualTo(0.99);
    assertThat(fresh.topOne()).as(op + " top-1").isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void convolutionWeightsArePerChannelAndTheirMultipliersToo() {
    var q =
        GraphQuantizer.quantize(
            OnnxModelFile.parse(OpGraphs.CONV_GROUPED.build(3).onnx()),
            OpGraphs.CONV_GROUPED.build(3).inputs(1, 64),
            0.9);
    ConvOp grouped =
        q.model().ops().stream()
            .filter(o -> o instanceof ConvOp c && c.groups() == 4)
            .map(ConvOp.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(grouped.requantization().multipliers()).hasSize(8);
  }

  @Test
  void everyUnsupportedOpIsNamedAtOnce() {
    OnnxGraphBuilder b = OnnxGraphBuilder.graph("bad");
    String x = b.input("input", -1, 4);
    String h = b.node("Softsign", "softsign_1", List.of(x), Map.of());
    h = b.node("Relu", "relu_1", List.of(h), Map.of());
    h = b.node("Hardmax", "hardmax_1", List.of(h), Map.of("axis", 1L));
    b.nodeTo("LpNormalization", "norm_1", List.of(h), "output", Map.of());
    b.output("output", -1, 4);
    OnnxModelFile file = OnnxModelFile.parse(b.toBytes());
    assertThatThrownBy(() -> GraphQuantizer.quantize(file, new float[][] {{1, 2, 3, 4}}, 0.9))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("unsupported ops (3)")
        .hasMessageContaining("'Softsign' at node 'softsign_1'")
        .hasMessageContaining("'Hardmax' at node 'hardmax_1'")
        .hasMessageContaining("'LpNormalization' at node 'norm_1'")
        .hasMessageNotContaining("'Relu' at");
  }

  @Test
  void anActivationOnTheOutputIsRefusedNamingTheNode() {
    OnnxGraphBuilder b = OnnxGraphBuilder.graph("relu-out");
    String x = b.input("input", -1, 4);
    String w = b.initializer("w", new float[] {1, 0, 0, 1, 1, 1, 0, 0}, 2, 4);
    String h = b.node("Gemm", "gemm", List.of(x, w), Map.of("transB", 1L));
    b.nodeTo("Relu", "last_relu", List.of(h), "output", Map.of());
    b.output("output", -1, 2);
    OnnxModelFile file = OnnxModelFile.parse(b.toBytes());
    assertThatThrownBy(
            () -> GraphQuantizer.quantize(file, new float[][] {{1, 2, 3, 4}, {4, 3, 2, 1}}, 0))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("output 'output'")
        .hasMessageContaining("without activation");
  }
}
