package io.vouch.onnx.quant;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.ConvNets;
import io.vouch.onnx.OnnxModelFile;
import org.junit.jupiter.api.Test;

/** The CNN test models quantize with their top-1 intact against ONNX Runtime. */
class ConvNetQuantizationTest {
  @Test
  void lenet5KeepsItsTopOneAgainstOnnxRuntime() {
    ClassifierModel m = ConvNets.lenet5(5);
    float[][] calibration = m.inputs(1, 256);
    var q = GraphQuantizer.quantize(OnnxModelFile.parse(m.onnx()), calibration, 0.99);
    assertThat(q.topOneAgreement()).isGreaterThanOrEqualTo(0.99);
    float[][] fresh = m.inputs(2, 256);
    float[][] reference =
        OnnxRuntimeReference.runBatch(OnnxModelFile.parse(m.onnx()), fresh, m.inputShape());
    assertThat(GraphQuantizer.agreement(q.model(), fresh, reference)).isGreaterThanOrEqualTo(0.98);
  }

  @Test
  void cnn264kKeepsItsTopOneAgainstOnnxRuntime() {
    ClassifierModel m = ConvNets.cnn264k(5);
    float[][] calibration = m.inputs(1, 256);
    var q = GraphQuantizer.quantize(OnnxModelFile.parse(m.onnx()), calibration, 0.99);
    assertThat(q.topOneAgreement()).isGreaterThanOrEqualTo(0.99);
    long params =
        q.model().ops().stream()
            .mapToLong(op ->
                switch (op) {
                  case ConvOp c -> c.weightsView().length + c.outChannels();
                  case DenseOp d -> d.weightsView().length + d.outputs();
                  default -> 0;
                })
            .sum();
    assertThat(params).isBetween(250_000L, 280_000L);
  }
}
