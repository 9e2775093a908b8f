package io.vouch.onnx.quant;

import static io.vouch.onnx.writer.GemmActivation.NONE;
import static io.vouch.onnx.writer.GemmActivation.RELU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vouch.onnx.InvalidModelException;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.onnx.writer.Chain;
import io.vouch.onnx.writer.ChainStep;
import io.vouch.onnx.writer.Clip;
import io.vouch.onnx.writer.GemmLayer;
import io.vouch.onnx.writer.OnnxModelWriter;
import io.vouch.onnx.writer.UnaryOp;
import org.junit.jupiter.api.Test;

/** How Clip maps onto the integer model's two clamps, and which Clips are refused. */
class ClipQuantizationTest {
  private static final int IN = 12;
  private static final int HIDDEN = 10;
  private static final float[][] CENTRES = TestModels.clusterCentres(4, 3, IN);
  private static final float[][] CALIBRATION = TestModels.clusteredInputs(4, 200, CENTRES, 0.25);

  @Test
  void clipFromZeroMapsItsMaxToCode127WhenTheClipBindsOnTheCalibrationInputs() {
    var range = MlpQuantizer.outputRange(0, 6, 6);
    assertThat(range.activation()).isEqualTo(Activation.RELU);
    assertThat(range.scale() * Activation.RELU.high()).isCloseTo(6, within(1e-12));
    assertThat(range.zeroPoint()).isZero();
  }

  @Test
  void clipFromZeroThatNeverBindsTakesItsScaleFromTheCalibratedMax() {
    var range = MlpQuantizer.outputRange(0, 6, 4);
    assertThat(range.activation()).isEqualTo(Activation.RELU);
    assertThat(range.scale()).isCloseTo(4.0 / 127, within(1e-12));
  }

  @Test
  void symmetricClipIsAMidRiseClampWhoseEndCodesAreExactlyMinusMAndM() {
    var range = MlpQuantizer.outputRange(-2, 2, 2);
    assertThat(range.activation()).isEqualTo(Activation.CLAMP);
    double lowest = range.scale() * (Activation.CLAMP.low() - range.zeroPoint());
    double highest = range.scale() * (Activation.CLAMP.high() - range.zeroPoint());
    assertThat(lowest).isCloseTo(-2, within(1e-12));
    assertThat(highest).isCloseTo(2, within(1e-12));
  }

  @Test
  void clipFromZeroSaturatesAtExactlyItsMaxLikeOnnxRuntime() {
    // y = Clip(10·x, 0, 6) for x in [0, 1), read out unchanged: inputs above 0.6 saturate
    assertSaturatesAtTheBoundsLikeOnnxRuntime(10, 0, 6, 6.0 / 127);
  }

  @Test
  void symmetricClipSaturatesAtExactlyMinusMAndMLikeOnnxRuntime() {
    // y = Clip(4·x, −2, 2) for x in [−1, 1): both ends saturate, including −2 (code −128)
    assertSaturatesAtTheBoundsLikeOnnxRuntime(4, -2, 2, 4.0 / 255);
  }

  @Test
  void clipWithoutBoundsIsAnIdentity() {
    IntegerModel withClip = quantize(hidden(dense(1, NONE), Clip.unbounded()));
    IntegerModel without = quantize(hidden(dense(1, NONE)));
    assertThat(withClip).isEqualTo(without);
  }

  @Test
  void reluFollowedByClipFusesIntoOneReluLayerEqualToTheClipAlone() {
    IntegerModel reluThenClip = quantize(hidden(dense(2, RELU), Clip.between(0, 1)));
    IntegerModel clip = quantize(hidden(dense(2, NONE), Clip.between(0, 1)));
    assertThat(reluThenClip).isEqualTo(clip);
    assertThat(((LayerOutput.Requantized) clip.layers().get(0).output()).activation())
        .isEqualTo(Activation.RELU);
  }

  @Test
  void reluFollowedByAnAsymmetricClipIsTheClipFromZero() {
    // Relu then Clip(−1, 2) is Clip(0, 2)
    IntegerModel fused = quantize(hidden(dense(3, NONE), new UnaryOp("Relu"), Clip.between(-1, 2)));
    IntegerModel clip = quantize(hidden(dense(3, NONE), Clip.between(0, 2)));
    assertThat(fused).isEqualTo(clip);
  }

  @Test
  void opset10ClipAttributesQuantizeLikeOpset13ClipInputs() {
    Chain chain = readout(hidden(dense(5, NONE), Clip.between(-1, 1)));
    OnnxModelFile opset13 = OnnxModelFile.parse(OnnxModelWriter.chain(chain).toBytes());
    OnnxModelFile opset10 = OnnxModelFile.parse(OnnxModelWriter.chain(chain).opset(10).toBytes());
    assertThat(opset10.proto().getGraph().getNode(1).getAttributeList()).hasSize(2);

    assertThat(MlpQuantizer.quantize(opset10, CALIBRATION).model())
        .isEqualTo(MlpQuantizer.quantize(opset13, CALIBRATION).model());
    assertThat(OnnxRuntimeReference.run(opset10, CALIBRATION))
        .isDeepEqualTo(OnnxRuntimeReference.run(opset13, CALIBRATION));
  }

  @Test
  void clipWithAPositiveMinIsRefusedWithItsNodeBoundsAndTheSupportedForms() {
    assertRefused(
        readout(hidden(dense(6, NONE), Clip.between(0.5f, 6))),
        "Clip at node 'clip_1'",
        "[0.5, 6.0]",
        "[0, max]",
        "[-m, m]");
  }

  @Test
  void clipWithAnAsymmetricNegativeMinIsRefused() {
    assertRefused(readout(hidden(dense(6, NONE), Clip.between(-1, 2))), "'clip_1'", "[-1.0, 2.0]");
  }

  @Test
  void clipWithOnlyAMaxIsRefused() {
    assertRefused(readout(hidden(dense(6, NONE), Clip.atMost(6))), "'clip_1'", "[-Infinity, 6.0]");
  }

  @Test
  void consecutiveClipsFuseAndAnUnsupportedFusedIntervalIsRefusedNamingBoth() {
    // Clip(−1, 1) then Clip(−0.5, 2) is Clip(−0.5, 1)
    assertRefused(
        readout(hidden(dense(6, NONE), Clip.between(-1, 1), Clip.between(-0.5f, 2))),
        "Clip at node 'clip_2' bounds its input to [-0.5, 2.0]",
        "(with the Relu/Clip before it: [-0.5, 1.0])");
  }

  @Test
  void clipBeforeAnyDenseLayerIsRefused() {
    assertRefused(
        readout(hidden(Clip.between(0, 1), dense(6, RELU))),
        "Clip at node 'clip_0' must follow a Gemm or MatMul");
  }

  @Test
  void clipOnTheOutputLogitsIsRefused() {
    Chain chain =
        Chain.of(
            IN, dense(7, RELU), TestModels.randomDense(8, HIDDEN, 3, NONE), Clip.between(-5, 5));
    assertRefused(chain, "Clip at node 'clip_2' bounds the model's output", "logits");
  }

  @Test
  void reluOnTheOutputLogitsIsRefused() {
    Chain chain =
        Chain.of(
            IN,
            dense(7, RELU),
            TestModels.randomDense(8, HIDDEN, 3, NONE),
            new io.vouch.onnx.writer.UnaryOp("Relu"));
    assertRefused(chain, "follows the last Gemm/MatMul", "unclamped int64 logits");
  }

  private static void assertSaturatesAtTheBoundsLikeOnnxRuntime(
      float gain, float min, float max, double outputScale) {
    int n = 4;
    Chain chain = Chain.of(n, diagonal(n, gain), Clip.between(min, max), diagonal(n, 1));
    OnnxModelFile file = OnnxModelFile.parse(OnnxModelWriter.chain(chain).toBytes());
    float[][] inputs = TestModels.randomInputs(5, 400, n);
    if (min < 0) {
      for (float[] x : inputs) {
        for (int i = 0; i < n; i++) {
          x[i] = 2 * x[i] - 1;
        }
      }
    }
    // top-1 of an identity readout is not the point here: ties between saturated outputs
    IntegerModel model = MlpQuantizer.quantize(file, inputs, 0).model();
    float[][] expected = OnnxRuntimeReference.run(file, inputs);
    double inputError = gain * model.input().scale() / 2;
    int saturated = 0;
    for (int r = 0; r < inputs.length; r++) {
      long[] logits = IntegerEngine.run(model, model.input().quantize(inputs[r]));
      for (int i = 0; i < n; i++) {
        double actual = logits[i] * model.logitScale();
        assertThat(actual)
            .as("input %d, output %d", r, i)
            .isCloseTo(expected[r][i], within(inputError + outputScale / 2 + 1e-3));
        double preClip = gain * inputs[r][i];
        if (preClip >= max + 2 * inputError || preClip <= min - 2 * inputError) {
          saturated++;
          assertThat(actual)
              .as("saturated input %d, output %d", r, i)
              .isCloseTo(expected[r][i], within(1e-3 * max));
        }
      }
    }
    assertThat(saturated).isGreaterThan(100);
  }

  private static GemmLayer diagonal(int n, float value) {
    float[] w = new float[n * n];
    for (int i = 0; i < n; i++) {
      w[i * n + i] = value;
    }
    return new GemmLayer(n, n, w, new float[n], NONE);
  }

  private static GemmLayer dense(long seed, io.vouch.onnx.writer.GemmActivation activation) {
    return TestModels.randomDense(seed, IN, HIDDEN, activation);
  }

  private static Chain hidden(ChainStep... steps) {
    return Chain.of(IN, steps);
  }

  private static Chain readout(Chain hidden) {
    return TestModels.withNearestCentreReadout(hidden, CENTRES);
  }

  private static IntegerModel quantize(Chain hidden) {
    OnnxModelFile file = OnnxModelFile.parse(OnnxModelWriter.chain(readout(hidden)).toBytes());
    return MlpQuantizer.quantize(file, CALIBRATION).model();
  }

  private static void assertRefused(Chain chain, String... messageParts) {
    OnnxModelFile file = OnnxModelFile.parse(OnnxModelWriter.chain(chain).toBytes());
    var refusal =
        assertThatThrownBy(() -> MlpQuantizer.quantize(file, CALIBRATION))
            .isInstanceOf(InvalidModelException.class);
    for (String part : messageParts) {
      refusal.hasMessageContaining(part);
    }
  }
}
