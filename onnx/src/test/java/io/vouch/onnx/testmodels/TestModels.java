package io.vouch.onnx.testmodels;

import io.vouch.onnx.writer.BatchNormalization;
import io.vouch.onnx.writer.Chain;
import io.vouch.onnx.writer.ChainStep;
import io.vouch.onnx.writer.GemmActivation;
import io.vouch.onnx.writer.GemmLayer;
import io.vouch.onnx.writer.Mlp;
import io.vouch.onnx.writer.OnnxModelWriter;
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
    List<GemmLayer> layers = new ArrayList<>();
    for (int l = 0; l + 1 < sizes.length; l++) {
      boolean hidden = l + 2 < sizes.length;
      layers.add(
          dense(
              random, sizes[l], sizes[l + 1], hidden ? GemmActivation.RELU : GemmActivation.NONE));
    }
    return new Mlp(layers);
  }

  /** One dense layer drawn like {@link #randomMlp}'s (He-uniform weights, biases in ±0.1). */
  public static GemmLayer randomDense(long seed, int in, int out, GemmActivation activation) {
    return dense(new SplittableRandom(seed), in, out, activation);
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

  private static GemmLayer dense(
      SplittableRandom random, int in, int out, GemmActivation activation) {
    double limit = Math.sqrt(6.0 / in);
    float[] w = new float[in * out];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
    }
    float[] b = new float[out];
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) ((random.nextDouble() * 2 - 1) * 0.1);
    }
    return new GemmLayer(in, out, w, b, activation);
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
   * {@code hidden} followed by a dense readout that classifies by the nearest centre in the hidden
   * features: with f_c = {@code hidden.forward(centre_c)} and f̄ their mean, logit c = (f_c − f̄)·h
   * − (|f_c|² − |f̄|²)/2, which is −|h − f_c|²/2 up to a term shared by all classes (centring keeps
   * the weights to what tells the classes apart). Such a model decides inputs near the centres with
   * clear margins, as a trained classifier does, so its top-1 decisions survive int8 quantization;
   * a random readout has near-tied logits on a share of inputs.
   */
  public static Chain withNearestCentreReadout(Chain hidden, float[][] centres) {
    int width = hidden.outputSize();
    double[][] f = new double[centres.length][];
    double[] mean = new double[width];
    for (int c = 0; c < centres.length; c++) {
      float[] features = hidden.forward(centres[c]);
      f[c] = new double[width];
      for (int i = 0; i < width; i++) {
        f[c][i] = features[i];
        mean[i] += features[i] / (double) centres.length;
      }
    }
    float[] w = new float[centres.length * width];
    float[] b = new float[centres.length];
    for (int c = 0; c < centres.length; c++) {
      double bias = 0;
      for (int i = 0; i < width; i++) {
        w[c * width + i] = (float) (f[c][i] - mean[i]);
        bias -= (f[c][i] * f[c][i] - mean[i] * mean[i]) / 2;
      }
      b[c] = (float) bias;
    }
    List<ChainStep> steps = new ArrayList<>(hidden.steps());
    steps.add(new GemmLayer(width, centres.length, w, b, GemmActivation.NONE));
    return new Chain(hidden.inputSize(), steps);
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
