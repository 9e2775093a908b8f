package io.vouch.onnx.quant;

import static io.vouch.onnx.writer.GemmActivation.NONE;
import static io.vouch.onnx.writer.GemmActivation.RELU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.onnx.writer.Chain;
import io.vouch.onnx.writer.ChainStep;
import io.vouch.onnx.writer.Clip;
import io.vouch.onnx.writer.GemmActivation;
import io.vouch.onnx.writer.GemmLayer;
import io.vouch.onnx.writer.OnnxModelWriter;
import io.vouch.onnx.writer.UnaryOp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported placement of Clip and BatchNormalization, on seeded random models, against ONNX
 * Runtime's float output: the folded float layers compute the same function, and the quantized
 * model keeps ONNX Runtime's top-1 decisions.
 */
class ClipAndBatchNormQuantizationTest {
  private static final int IN = 30;
  private static final int HIDDEN = 24;
  private static final int OUT = 6;
  private static final double SPREAD = 0.25;

  /**
   * Hidden parts of the models; each gets a nearest-centre readout Gemm to {@value #OUT} classes.
   */
  static Stream<Arguments> models() {
    Map<String, LongFunction<Chain>> shapes = new LinkedHashMap<>();
    shapes.put(
        "Gemm-BatchNorm-Relu-Gemm",
        s -> chain(dense(s, IN, HIDDEN), bn(s, HIDDEN), new UnaryOp("Relu")));
    shapes.put("Gemm-BatchNorm-Gemm", s -> chain(dense(s, IN, HIDDEN), bn(s, HIDDEN)));
    shapes.put(
        "Gemm-Relu-BatchNorm-Gemm (folded into the next Gemm)",
        s -> chain(dense(s, IN, HIDDEN, RELU), bn(s, HIDDEN)));
    shapes.put(
        "BatchNorm-Gemm-Relu-Gemm (on the graph input)",
        s -> chain(bn(s, IN), dense(s, IN, HIDDEN, RELU)));
    shapes.put(
        "Gemm-Clip(0,1)-Gemm-Relu-Gemm",
        s -> chain(dense(s, IN, HIDDEN), Clip.between(0, 1), dense(s + 7, HIDDEN, 16, RELU)));
    shapes.put("Gemm-Clip(-1,1)-Gemm", s -> chain(dense(s, IN, HIDDEN), Clip.between(-1, 1)));
    shapes.put(
        "Gemm-Relu-Clip(0,1)-Gemm", s -> chain(dense(s, IN, HIDDEN, RELU), Clip.between(0, 1)));
    shapes.put(
        "Gemm-Clip(min 0)-Gemm",
        s -> chain(dense(s, IN, HIDDEN), new Clip(0, Float.POSITIVE_INFINITY)));
    shapes.put(
        "Gemm-BatchNorm-Clip(0,6)-Gemm",
        s -> chain(dense(s, IN, HIDDEN), bn(s, HIDDEN), Clip.between(0, 6)));
    shapes.put(
        "Gemm-Clip(-1,1)-BatchNorm-Gemm",
        s -> chain(dense(s, IN, HIDDEN), Clip.between(-1, 1), bn(s, HIDDEN)));
    return shapes.entrySet().stream()
        .flatMap(e ->
            LongStream.range(1, 4)
                .mapToObj(seed -> {
                  Chain model =
                      TestModels.withNearestCentreReadout(e.getValue().apply(seed), centres(seed));
                  return Arguments.of(e.getKey(), model, seed);
                }));
  }

  @ParameterizedTest(name = "{0}, seed {2}")
  @MethodSource("models")
  void foldedFloatLayersComputeWhatOnnxRuntimeComputes(String shape, Chain chain, long seed) {
    OnnxModelFile file = file(chain);
    float[][] inputs = TestModels.clusteredInputs(seed, 64, centres(seed), SPREAD);
    float[][] expected = OnnxRuntimeReference.run(file, inputs);
    List<MlpQuantizer.FloatLayer> layers = MlpQuantizer.readLayers(file);
    for (int r = 0; r < inputs.length; r++) {
      double[] actual = OnnxRuntimeReference.foldedForward(layers, inputs[r]);
      for (int i = 0; i < OUT; i++) {
        assertThat(actual[i])
            .as("input %d, output %d", r, i)
            .isCloseTo(expected[r][i], within(1e-4 + 1e-4 * Math.abs(expected[r][i])));
      }
    }
  }

  @ParameterizedTest(name = "{0}, seed {2}")
  @MethodSource("models")
  void quantizedTopOneAgreesWithOnnxRuntimeOnUnseenInputs(String shape, Chain chain, long seed) {
    OnnxModelFile file = file(chain);
    float[][] calibration = TestModels.clusteredInputs(seed, 300, centres(seed), SPREAD);
    IntegerModel model = MlpQuantizer.quantize(file, calibration).model();
    float[][] unseen = TestModels.clusteredInputs(seed + 1000, 300, centres(seed), SPREAD);
    double agreement =
        OnnxRuntimeReference.topOneAgreement(model, unseen, OnnxRuntimeReference.run(file, unseen));
    assertThat(agreement).isGreaterThanOrEqualTo(MlpQuantizer.MIN_AGREEMENT);
  }

  private static float[][] centres(long seed) {
    return TestModels.clusterCentres(seed, OUT, IN);
  }

  private static OnnxModelFile file(Chain chain) {
    return OnnxModelFile.parse(OnnxModelWriter.chain(chain).toBytes());
  }

  /** The hidden part of a model: input → ... → the features the readout reads. */
  private static Chain chain(ChainStep... steps) {
    return Chain.of(IN, steps);
  }

  private static GemmLayer dense(long seed, int in, int out) {
    return dense(seed, in, out, NONE);
  }

  private static GemmLayer dense(long seed, int in, int out, GemmActivation activation) {
    return TestModels.randomDense(seed * 31 + in, in, out, activation);
  }

  private static ChainStep bn(long seed, int channels) {
    return TestModels.randomBatchNormalization(seed, channels);
  }
}
