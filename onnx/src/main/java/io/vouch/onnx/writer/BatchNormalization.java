package io.vouch.onnx.writer;

import java.util.Arrays;
import java.util.Objects;

/**
 * An inference-mode ONNX {@code BatchNormalization} over {@code [N, C]} activations: {@code y =
 * scale · (x − mean) / sqrt(variance + epsilon) + bias}, per channel, with the four parameter
 * vectors written as initializers of shape {@code [C]}.
 */
public record BatchNormalization(
    float[] scale, float[] bias, float[] mean, float[] variance, float epsilon)
    implements ChainStep {
  /** ONNX's default {@code epsilon}. */
  public static final float DEFAULT_EPSILON = 1e-5f;

  public BatchNormalization {
    int c = scale.length;
    if (c == 0 || bias.length != c || mean.length != c || variance.length != c) {
      throw new IllegalArgumentException(
          "scale, bias, mean and variance need one value per channel each, got "
              + scale.length
              + ", "
              + bias.length
              + ", "
              + mean.length
              + ", "
              + variance.length);
    }
    if (!(epsilon >= 0)) {
      throw new IllegalArgumentException("epsilon must be zero or positive, got " + epsilon);
    }
    scale = scale.clone();
    bias = bias.clone();
    mean = mean.clone();
    variance = variance.clone();
  }

  public int channels() {
    return scale.length;
  }

  @Override
  public float[] scale() {
    return scale.clone();
  }

  @Override
  public float[] bias() {
    return bias.clone();
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] variance() {
    return variance.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchNormalization b
        && Float.compare(epsilon, b.epsilon) == 0
        && Arrays.equals(scale, b.scale)
        && Arrays.equals(bias, b.bias)
        && Arrays.equals(mean, b.mean)
        && Arrays.equals(variance, b.variance);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        epsilon,
        Arrays.hashCode(scale),
        Arrays.hashCode(bias),
        Arrays.hashCode(mean),
        Arrays.hashCode(variance));
  }

  @Override
  public String toString() {
    return "BatchNormalization[" + channels() + " channels, epsilon " + epsilon + "]";
  }
}
