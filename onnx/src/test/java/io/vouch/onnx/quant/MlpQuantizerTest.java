package io.vouch.onnx.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.vouch.onnx.InvalidModelException;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.onnx.writer.Mlp;
import io.vouch.onnx.writer.OnnxModelWriter;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MlpQuantizerTest {
  static LongStream seeds() {
    return LongStream.range(1, 6);
  }

  private static OnnxModelFile onnx(Mlp mlp) {
    return OnnxModelFile.parse(OnnxModelWriter.mlp(mlp).toBytes());
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void quantizedModelKeepsTheShapesAndAgreesWithTheFloatModel(long seed) {
    Mlp mlp = TestModels.randomMlp(seed, 30, 24, 16, 6);
    float[][] calibration = TestModels.randomInputs(seed, 300, 30);
    var q = MlpQuantizer.quantize(onnx(mlp), calibration);

    assertThat(q.model().layers()).extracting(DenseLayer::outputs).containsExactly(24, 16, 6);
    assertThat(q.topOneAgreement()).isGreaterThanOrEqualTo(MlpQuantizer.MIN_AGREEMENT);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void dequantizedLogitsTrackTheFloatLogits(long seed) {
    Mlp mlp = TestModels.randomMlp(seed, 30, 24, 6);
    float[][] inputs = TestModels.randomInputs(seed, 100, 30);
    // this checks the logits' error; top-1 of untrained random models flips on near-ties (about
    // 1 % of inputs, whichever rounding the quantizer makes), so the 99 % gate is not the point
    IntegerModel m = MlpQuantizer.quantize(onnx(mlp), inputs, 0.9).model();
    double maxError = 0, maxLogit = 0;
    for (float[] x : inputs) {
      float[] f = mlp.forward(x);
      long[] z = IntegerEngine.run(m, m.input().quantize(x));
      for (int i = 0; i < f.length; i++) {
        maxError = Math.max(maxError, Math.abs(z[i] * m.logitScale() - f[i]));
        maxLogit = Math.max(maxLogit, Math.abs(f[i]));
      }
    }
    assertThat(maxError).isLessThan(0.05 * maxLogit);
  }

  @Test
  void mnistSizedRandomModelKeepsMostTopOneDecisions() {
    // an untrained model on uniform noise has near-tied logits, so the 99 % bar meant for trained
    // models is relaxed here; the quantizer must still keep the large majority of decisions
    Mlp mlp = TestModels.mnistSizedMlp(3);
    var q = MlpQuantizer.quantize(onnx(mlp), TestModels.randomInputs(3, 200, 784), 0.9);
    assertThat(q.topOneAgreement()).isGreaterThanOrEqualTo(0.9);
    assertThat(q.model().layers()).extracting(DenseLayer::outputs).containsExactly(128, 10);
  }

  @Test
  void requantizationMultiplierAndShiftApproximateTheScaleRatio() {
    for (double m : new double[] {1e-9, 1e-6, 3.7e-4, 0.01, 0.5, 0.999, 3.0, 4096.5}) {
      var rq = MlpQuantizer.requantization(m, Activation.RELU);
      double approx = rq.multiplier() / Math.pow(2, rq.shift());
      // rounding error of at most half a unit of 2^-s, so at most 2^-8 relative
      assertThat(Math.abs(approx - m)).isLessThanOrEqualTo(0.5 / Math.pow(2, rq.shift()));
      assertThat(Math.abs(approx - m) / m).isLessThanOrEqualTo(1.0 / 256);
      assertThat(rq.multiplier())
          .isGreaterThanOrEqualTo(1L << (MlpQuantizer.MIN_MULTIPLIER_BITS - 1));
      assertThat(rq.multiplier()).isLessThan(1L << 31);
      if (m >= 1.0 / 8192 && m < 2048) {
        // the proof's cheapest shift whenever ε keeps its 8 bits there
        assertThat(rq.shift()).isEqualTo(MlpQuantizer.PREFERRED_SHIFT);
      } else if (m < 1.0 / 8192) {
        assertThat(rq.shift()).isGreaterThan(MlpQuantizer.PREFERRED_SHIFT);
      } else {
        assertThat(rq.shift()).isLessThan(MlpQuantizer.PREFERRED_SHIFT);
      }
    }
  }

  @Test
  void unsupportedOpIsRefusedWithItsNameAndNode() {
    OnnxMl.ModelProto proto = OnnxModelWriter.mlp(TestModels.randomMlp(1, 4, 3, 2)).toProto();
    OnnxMl.GraphProto.Builder g = proto.getGraph().toBuilder();
    String out = g.getOutput(0).getName();
    g.addNode(
        OnnxMl.NodeProto.newBuilder()
            .setName("probs")
            .setOpType("Softmax")
            .addInput(out)
            .addOutput("probabilities"));
    g.setOutput(0, g.getOutput(0).toBuilder().setName("probabilities"));
    var file = OnnxModelFile.parse(proto.toBuilder().setGraph(g).build().toByteArray());
    assertThatThrownBy(() -> MlpQuantizer.quantize(file, new float[][] {{0, 0, 0, 0}}))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("'Softmax'")
        .hasMessageContaining("'probs'");
  }

  @Test
  void modelWhoseTopOneFlipsUnderQuantizationIsRejected() {
    // two outputs whose float logits differ by far less than one int8 weight step: the float
    // model always prefers output 1, the integer model sees a tie and picks output 0
    float[] w = {0.5f, 0.25f, 0.5f + 1e-5f, 0.25f + 1e-5f};
    var layer1 =
        new io.vouch.onnx.writer.GemmLayer(
            2,
            2,
            new float[] {1, 0, 0, 1},
            new float[] {0, 0},
            io.vouch.onnx.writer.GemmActivation.RELU);
    var layer2 =
        new io.vouch.onnx.writer.GemmLayer(
            2, 2, w, new float[] {0, 0}, io.vouch.onnx.writer.GemmActivation.NONE);
    Mlp mlp = new Mlp(List.of(layer1, layer2));
    float[][] calibration = TestModels.randomInputs(5, 50, 2);
    assertThatThrownBy(() -> MlpQuantizer.quantize(onnx(mlp), calibration))
        .isInstanceOf(QuantizationAccuracyException.class)
        .hasMessageContaining("at least 99 %");
  }
}
