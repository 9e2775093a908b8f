package io.vouch.demo;

import io.vouch.onnx.writer.GemmActivation;
import io.vouch.onnx.writer.GemmLayer;
import io.vouch.onnx.writer.Mlp;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a {@code D-H-K} classifier (Gemm, Relu, Gemm) with softmax cross-entropy and Adam on
 * binary bag-of-words features. Plain Java, single-threaded and deterministic: the same examples
 * and {@link TrainingConfig} give bit-identical weights on every JVM, because all arithmetic is
 * IEEE double in a fixed order, the exponential is {@link StrictMath#exp}, and randomness comes
 * from a seeded {@link SplittableRandom}.
 *
 * <p>Inputs are given as the indices of their non-zero (1.0) features, so the first layer costs
 * what the active features cost, not {@code D}.
 */
public final class SoftmaxMlpTrainer {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final int inputs;
  private final int hidden;
  private final int classes;
  private final TrainingConfig config;

  // Parameters with their Adam moments: w1 [hidden][inputs], w2 [classes][hidden], row-major.
  private final Parameter w1;
  private final Parameter b1;
  private final Parameter w2;
  private final Parameter b2;
  private int step;

  public SoftmaxMlpTrainer(int inputs, int classes, TrainingConfig config) {
    if (inputs < 1 || classes < 2) {
      throw new IllegalArgumentException(
          "need at least one input and two classes, got " + inputs + " and " + classes);
    }
    this.inputs = inputs;
    this.hidden = config.hiddenUnits();
    this.classes = classes;
    this.config = config;
    SplittableRandom random = new SplittableRandom(config.seed());
    this.w1 = Parameter.uniform(hidden * inputs, Math.sqrt(6.0 / inputs), random);
    this.b1 = Parameter.zeros(hidden);
    this.w2 = Parameter.uniform(classes * hidden, Math.sqrt(6.0 / (hidden + classes)), random);
    this.b2 = Parameter.zeros(classes);
  }

  /**
   * Runs {@link TrainingConfig#epochs()} epochs of mini-batch Adam over the examples.
   *
   * @param activeFeatures per example, the indices of its 1.0 features (others are 0.0)
   * @param targets per example, its class index
   */
  public Mlp train(List<int[]> activeFeatures, int[] targets) {
    if (activeFeatures.size() != targets.length || targets.length == 0) {
      throw new IllegalArgumentException(
          "need one target per example and at least one example, got "
              + activeFeatures.size()
              + " examples and "
              + targets.length
              + " targets");
    }
    SplittableRandom shuffler = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
    int n = targets.length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      for (int i = n - 1; i > 0; i--) { // Fisher-Yates
        int j = shuffler.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int start = 0; start < n; start += config.batchSize()) {
        int end = Math.min(n, start + config.batchSize());
        for (int k = start; k < end; k++) {
          accumulateGradient(activeFeatures.get(order[k]), targets[order[k]]);
        }
        adamStep(end - start);
      }
    }
    return toMlp();
  }

  private void accumulateGradient(int[] active, int target) {
    double[] pre = new double[hidden];
    double[] h = new double[hidden];
    for (int j = 0; j < hidden; j++) {
      double acc = b1.value[j];
      int row = j * inputs;
      for (int i : active) {
        acc += w1.value[row + i];
      }
      pre[j] = acc;
      h[j] = Math.max(acc, 0);
    }
    double[] logits = new double[classes];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      double acc = b2.value[c];
      int row = c * hidden;
      for (int j = 0; j < hidden; j++) {
        acc += w2.value[row + j] * h[j];
      }
      logits[c] = acc;
      max = Math.max(max, acc);
    }
    double sum = 0;
    double[] p = new double[classes];
    for (int c = 0; c < classes; c++) {
      p[c] = StrictMath.exp(logits[c] - max);
      sum += p[c];
    }
    double[] dh = new double[hidden];
    for (int c = 0; c < classes; c++) {
      double dz = p[c] / sum - (c == target ? 1 : 0);
      b2.grad[c] += dz;
      int row = c * hidden;
      for (int j = 0; j < hidden; j++) {
        w2.grad[row + j] += dz * h[j];
        dh[j] += dz * w2.value[row + j];
      }
    }
    for (int j = 0; j < hidden; j++) {
      if (pre[j] <= 0) {
        continue;
      }
      b1.grad[j] += dh[j];
      int row = j * inputs;
      for (int i : active) {
        w1.grad[row + i] += dh[j];
      }
    }
  }

  private void adamStep(int batch) {
    step++;
    double correction1 = 1 - StrictMath.pow(BETA1, step);
    double correction2 = 1 - StrictMath.pow(BETA2, step);
    w1.adam(batch, config.weightDecay(), correction1, correction2, config.learningRate());
    b1.adam(batch, 0, correction1, correction2, config.learningRate());
    w2.adam(batch, config.weightDecay(), correction1, correction2, config.learningRate());
    b2.adam(batch, 0, correction1, correction2, config.learningRate());
  }

  private Mlp toMlp() {
    return new Mlp(
        List.of(
            new GemmLayer(
                inputs, hidden, toFloats(w1.value), toFloats(b1.value), GemmActivation.RELU),
            new GemmLayer(
                hidden, classes, toFloats(w2.value), toFloats(b2.value), GemmActivation.NONE)));
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /** A parameter vector, its gradient accumulator and Adam's first and second moments. */
  private static final class Parameter {
    final double[] value;
    final double[] grad;
    final double[] m;
    final double[] v;

    private Parameter(double[] value) {
      this.value = value;
      this.grad = new double[value.length];
      this.m = new double[value.length];
      this.v = new double[value.length];
    }

    static Parameter zeros(int size) {
      return new Parameter(new double[size]);
    }

    static Parameter uniform(int size, double limit, SplittableRandom random) {
      double[] value = new double[size];
      for (int i = 0; i < size; i++) {
        value[i] = (random.nextDouble() * 2 - 1) * limit;
      }
      return new Parameter(value);
    }

    void adam(int batch, double decay, double correction1, double correction2, double lr) {
      for (int i = 0; i < value.length; i++) {
        double g = grad[i] / batch + decay * value[i];
        m[i] = BETA1 * m[i] + (1 - BETA1) * g;
        v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
        value[i] -= lr * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + EPSILON);
        grad[i] = 0;
      }
    }
  }
}
