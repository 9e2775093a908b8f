package io.vouch.benchmodels;

import io.vouch.onnx.writer.BatchNormalization;
import io.vouch.onnx.writer.GemmActivation;
import io.vouch.onnx.writer.GemmLayer;
import io.vouch.onnx.writer.Mlp;
import io.vouch.onnx.writer.OnnxModelWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded weights and inputs of the benchmark models: the same seed and sizes always give the
 * same weights (and so the same ONNX bytes and the same figures), on any JVM. The draws are those
 * of onnx's test helper {@code TestModels}, which the tests below this module use; they are written
 * out here because a production module must not depend on a test-jar (AGENTS.md, "bench-models").
 */
public final class SeededModels {
  private SeededModels() {}

  /**
   * A ReLU MLP with the given layer sizes, e.g. {@code randomMlp(7, 784, 128, 10)}: Gemm+Relu for
   * every hidden layer, a plain Gemm for the last. Weights are uniform in {@code ±sqrt(6 / in)}
   * (He-uniform), biases uniform in {@code ±0.1}.
   */
  public static Mlp randomMlp(long seed, int... sizes) {
    if (sizes.length < 2) {
      throw new IllegalArgumentException(
          "give at least an input and an output size, e.g. randomMlp(seed, 784, 128, 10)");
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<GemmLayer> layers = new ArrayList<>();
    for (int l = 0; l + 1 < sizes.length; l++) {
      boolean hidden = l + 2 < sizes.length;
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
      layers.add(new GemmLayer(in, out, w, b, hidden ? GemmActivation.RELU : GemmActivation.NONE));
    }
    return new Mlp(layers);
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

  /**
   * {@code classes} seeded points uniform in {@code [0, 1)^size}: the centres of {@link
   * #clusteredInputs}.
   */
  public static float[][] clusterCentres(long seed, int classes, int size) {
    return randomInputs(seed, classes, size);
  }

  /**
   * {@code count} seeded inputs around the given centres: input {@code i} is centre {@code i %
   * centres.length} with every coordinate moved uniformly by up to {@code ±spread}, so its class is
   * {@code i % centres.length}.
   */
  public static float[][] clusteredInputs(long seed, int count, float[][] centres, double spread) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] inputs = new float[count][];
    for (int r = 0; r < count; r++) {
      float[] centre = centres[r % centres.length];
      inputs[r] = new float[centre.length];
      for (int i = 0; i < centre.length; i++) {
        inputs[r][i] = (float) (centre[i] + (random.nextDouble() * 2 - 1) * spread);
      }
    }
    return inputs;
  }

  /**
   * A seeded inference-mode batch normalization over {@code channels} values: scale in [0.5, 1.5],
   * bias and mean in ±0.5, variance in [0.25, 2], the default epsilon.
   */
  public static BatchNormalization randomBatchNormalization(long seed, int channels) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] scale = new float[channels];
    float[] bias = new float[channels];
    float[] mean = new float[channels];
    float[] variance = new float[channels];
    for (int c = 0; c < channels; c++) {
      scale[c] = (float) random.nextDouble(0.5, 1.5);
      bias[c] = (float) random.nextDouble(-0.5, 0.5);
      mean[c] = (float) random.nextDouble(-0.5, 0.5);
      variance[c] = (float) random.nextDouble(0.25, 2);
    }
    return new BatchNormalization(scale, bias, mean, variance, BatchNormalization.DEFAULT_EPSILON);
  }
}
