package io.vouch.onnx.build;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random models for tests and benchmarks. The same seed and sizes always give the same
 * weights (and so the same ONNX bytes), on any JVM.
 */
public final class TestModels {
  private TestModels() {}

  /**
   * A ReLU MLP with the given layer sizes, e.g. {@code randomMlp(7, 784, 128, 10)}: Gemm+Relu for
   * every hidden layer, a plain Gemm for the last. Weights are uniform in {@code ±sqrt(6 / in)}
   * (He-uniform, which keeps activations in a sane range through the layers), biases uniform in
   * {@code ±0.1}.
   */
  public static Mlp randomMlp(long seed, int... sizes) {
    if (sizes.length < 2) {
      throw new IllegalArgumentException(
          "give at least an input and an output size, e.g. randomMlp(seed, 784, 128, 10)");
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<DenseLayer> layers = new ArrayList<>();
    for (int l = 0; l + 1 < sizes.length; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      double limit = Math.sqrt(6.0 / in);
      float[] w = new float[in * out];
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
      }
      float[] b = new float[out];
      for (int i = 0; i < b.length; i++) {
        b[i] = (float) ((random.nextDouble() * 2 - 1) * 0.1);
      }
      boolean hidden = l + 2 < sizes.length;
      layers.add(new DenseLayer(in, out, w, b, hidden ? Activation.RELU : Activation.NONE));
    }
    return new Mlp(layers);
  }

  /** The 784-128-10 MLP that ZKML.md's targets and the benchmarks refer to. */
  public static Mlp mnistSizedMlp(long seed) {
    return randomMlp(seed, 784, 128, 10);
  }

  /** The ONNX bytes of {@link #randomMlp}. */
  public static byte[] randomMlpOnnx(long seed, int... sizes) {
    return OnnxModelWriter.mlp(randomMlp(seed, sizes)).toBytes();
  }

  /** {@code count} seeded inputs uniform in {@code [0, 1)}, e.g. pixel intensities. */
  public static float[][] randomInputs(long seed, int count, int size) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] inputs = new float[count][size];
    for (float[] row : inputs) {
      for (int i = 0; i < size; i++) {
        row[i] = (float) random.nextDouble();
      }
    }
    return inputs;
  }
}
