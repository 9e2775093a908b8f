package io.vouch.onnx.quant;

import java.util.Arrays;

/**
 * A 2-D convolution: for output channel co of group g = co / (outChannels / groups), position p and
 * kernel position k, z[co, p] = Σ_{cj, k} W[co, cj, k]·x[g·Cg + cj, source(p, k)] + b[co, p], with
 * Cg = inputChannels / groups input channels per group and padding reading nothing. int8 weights
 * [outChannels, Cg, kh, kw] (ONNX's layout), and a bias per output value (a zero point of the input
 * folded in makes it depend on how many taps of the window are padding). Then a {@link
 * Requantization} (per output channel) or, when null, the accumulators as the output.
 */
public record ConvOp(
    int input,
    TensorShape inputShape,
    Window window,
    int groups,
    int outChannels,
    byte[] weights,
    long[] bias,
    Requantization requantization)
    implements IntegerOp {
  public ConvOp {
    if (groups < 1 || inputShape.channels() % groups != 0 || outChannels % groups != 0) {
      throw new IllegalArgumentException(
          "groups ("
              + groups
              + ") must divide the input channels ("
              + inputShape.channels()
              + ") and the output channels ("
              + outChannels
              + ")");
    }
    int outH = window.outputHeight(inputShape.height());
    int outW = window.outputWidth(inputShape.width());
    if (outH < 1 || outW < 1) {
      throw new IllegalArgumentException("the window does not fit the input " + inputShape);
    }
    long expected = (long) outChannels * (inputShape.channels() / groups) * window.kernelSize();
    if (weights.length != expected) {
      throw new IllegalArgumentException(
          "conv weights have " + weights.length + " entries, expected " + expected);
    }
    if (bias.length != (long) outChannels * outH * outW) {
      throw new IllegalArgumentException("conv bias needs one value per output value");
    }
    if (requantization != null
        && requantization.multipliers().length != 1
        && requantization.multipliers().length != outChannels) {
      throw new IllegalArgumentException(
          "one requantization multiplier per output channel, or one");
    }
    weights = weights.clone();
    bias = bias.clone();
  }

  @Override
  public int[] inputs() {
    return new int[] {input};
  }

  @Override
  public TensorShape outputShape() {
    return new TensorShape(
        outChannels,
        window.outputHeight(inputShape.height()),
        window.outputWidth(inputShape.width()));
  }

  /** Input channels per group. */
  public int groupInputChannels() {
    return inputShape.channels() / groups;
  }

  /** Output channels per group. */
  public int groupOutputChannels() {
    return outChannels / groups;
  }

  @Override
  public byte[] weights() {
    return weights.clone();
  }

  @Override
  public long[] bias() {
    return bias.clone();
  }

  public byte[] weightsView() {
    return weights;
  }

  public long[] biasView() {
    return bias;
  }

  /** The largest |z| output channel {@code co} can reach: Σ|W[co]|·128 + max |b[co, ·]|. */
  public long accumulatorBound(int co) {
    int per = groupInputChannels() * window.kernelSize();
    long s = 0;
    for (int i = 0; i < per; i++) {
      s += Math.abs(weights[co * per + i]) * 128L;
    }
    int positions = bias.length / outChannels;
    long b = 0;
    for (int p = 0; p < positions; p++) {
      b = Math.max(b, Math.abs(bias[co * positions + p]));
    }
    return s + b;
  }

  @Override
  public String kind() {
    return groups == 1
        ? "Conv"
        : groups == inputShape.channels() ? "Conv(depthwise)" : "Conv(grouped)";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConvOp c
        && input == c.input
        && inputShape.equals(c.inputShape)
        && window.equals(c.window)
        && groups == c.groups
        && outChannels == c.outChannels
        && Arrays.equals(weights, c.weights)
        && Arrays.equals(bias, c.bias)
        && java.util.Objects.equals(requantization, c.requantization);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(weights) + Arrays.hashCode(bias);
  }

  @Override
  public String toString() {
    return "Conv["
        + inputShape
        + " → "
        + outputShape()
        + ", groups "
        + groups
        + ", "
        + window
        + "]";
  }
}
