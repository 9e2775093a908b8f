package io.vouch.onnx.quant;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.benchmodels.ConvNets;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.writer.OnnxGraphBuilder;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The transformer path's non-linear ops against ONNX Runtime, each as the output of a one-op model
 * (their int8 values are outputs): on inputs they were not calibrated on, every dequantized value
 * is within the error bound onnx/README.md states for the op — half an output step for the final
 * rounding plus what the input's own rounding moves the function by (its slope times half an input
 * step), plus the op's internal approximation (the exponentials' and ρ's integer rounding).
 */
class TransformerOpsAccuracyTest {
  /**
   * A table's bound is s_out/2 + slope·s_in/2 (its largest slope over the inputs' range). A
   * softmax's: (½ + 1/(2L))/127 for the last rounding and the row's reciprocal, (1 + L)/(2·4096)
   * for the exponentials' (L = 32), and its input's half step times ∂p/∂x ≤ 1/2: below 0.0122 here.
   * A layer norm's: s_out/2, the 2^-10 of ρ and the input's half step over the row's standard
   * deviation times |γ| (≤ 1.5 over rows of spread ≥ 0.17 here): below 0.08.
   */
  enum Op {
    SIGMOID(0.25, 0),
    TANH(1, 0),
    GELU(1.13, 0),
    EXP(0.5 * Math.E, 0),
    SOFTMAX(0, 0.0122),
    LAYERNORM(0, 0.08),
    LAYERNORM_DECOMPOSED(0, 0.08);
    final double slope, bound;

    Op(double slope, double bound) {
      this.slope = slope;
      this.bound = bound;
    }

    double bound(double inputStep, double outputStep) {
      return slope > 0 ? outputStep / 2 + slope * inputStep / 2 + 1e-6 : bound;
    }
  }

  private static final int ROWS = 8, WIDTH = 32;

  private static byte[] model(Op op) {
    OnnxGraphBuilder b = OnnxGraphBuilder.graph(op.name().toLowerCase()).opset(20);
    String x = b.input("input", -1, ROWS, WIDTH);
    SplittableRandom r = new SplittableRandom(5);
    BiFunction<String, List<String>, String> node =
        (type, in) -> b.nodeTo(type, "op", in, "output", Map.of());
    switch (op) {
      case SIGMOID -> node.apply("Sigmoid", List.of(x));
      case TANH -> node.apply("Tanh", List.of(x));
      case GELU -> node.apply("Gelu", List.of(x));
      case EXP -> {
        String k = b.initializer("k", new float[] {0.5f});
        String h = b.node("Mul", "scale", List.of(x, k), Map.of());
        b.nodeTo("Exp", "op", List.of(h), "output", Map.of());
      }
      case SOFTMAX -> {
        String k = b.initializer("k", new float[] {2f});
        String h = b.node("Mul", "scale", List.of(x, k), Map.of());
        b.nodeTo("Softmax", "op", List.of(h), "output", Map.of("axis", -1L));
      }
      case LAYERNORM -> {
        String g = b.initializer("g", uniform(r, WIDTH, 0.5, 1.5), WIDTH);
        String bb = b.initializer("b", uniform(r, WIDTH, -0.2, 0.2), WIDTH);
        b.nodeTo(
            "LayerNormalization",
            "op",
            List.of(x, g, bb),
            "output",
            Map.of("axis", -1L, "epsilon", 1e-5f));
      }
      case LAYERNORM_DECOMPOSED -> {
        String h = ConvNets.decomposedLayerNorm(b, r, "ln", x, WIDTH, 20);
        String one = b.initializer("one", new float[] {1f});
        b.nodeTo("Mul", "op", List.of(h, one), "output", Map.of());
      }
    }
    b.output("output", -1, ROWS, WIDTH);
    return b.toBytes();
  }

  private static float[] uniform(SplittableRandom r, int n, double lo, double hi) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (lo + (hi - lo) * r.nextDouble());
    }
    return v;
  }

  /** Rows of values in [−2, 2) with row-dependent means and spreads (a residual stream's). */
  private static float[][] inputs(long seed, int count) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] out = new float[count][ROWS * WIDTH];
    for (float[] x : out) {
      for (int row = 0; row < ROWS; row++) {
        double mean = r.nextDouble() - 0.5, spread = 0.3 + r.nextDouble();
        for (int j = 0; j < WIDTH; j++) {
          x[row * WIDTH + j] =
              (float) Math.max(-2, Math.min(1.99, mean + spread * (2 * r.nextDouble() - 1)));
        }
      }
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(Op.class)
  void everyValueIsWithinTheStatedBoundOfOnnxRuntime(Op op) {
    OnnxModelFile file = OnnxModelFile.parse(model(op));
    IntegerModel model = GraphQuantizer.quantize(file, inputs(1, 200), 0).model();
    float[][] fresh = inputs(2, 50);
    float[][] reference = OnnxRuntimeAgreement.run(file, fresh);
    double scale = model.outputs().get(0).scale();
    double worst = 0;
    for (int n = 0; n < fresh.length; n++) {
      long[] y = IntegerEngine.run(model, model.quantizeInputs(fresh[n]));
      for (int i = 0; i < y.length; i++) {
        worst = Math.max(worst, Math.abs(y[i] * scale - reference[n][i]));
      }
    }
    double bound = op.bound(model.inputs().get(0).quantization().scale(), scale);
    assertThat(worst)
        .as(op + " worst error (output step " + scale + ")")
        .isLessThanOrEqualTo(bound);
  }
}
