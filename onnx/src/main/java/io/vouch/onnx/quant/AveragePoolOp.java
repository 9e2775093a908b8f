package io.vouch.onnx.quant;

import java.util.Arrays;

/**
 * Average pooling (and GlobalAveragePool, a window the size of the input): z[c, p] = w_p · Σ over
 * the window's non-padding positions of x[c, source(p, k)] + b[c, p], then requantized. The
 * per-position weight w_p is 1 when every window has as many taps as the divisor; with {@code
 * count_include_pad = 0} and padding it carries 1/count_p relative to the others.
 */
public record AveragePoolOp(
    int input,
    TensorShape inputShape,
    Window window,
    long[] positionWeights,
    long[] bias,
    Requantization requantization)
    implements IntegerOp {
  public AveragePoolOp {
    int outH = window.outputHeight(inputShape.height());
    int outW = window.outputWidth(inputShape.width());
    if (outH < 1 || outW < 1) {
      throw new IllegalArgumentException("the pooling window does not fit the input " + inputShape);
    }
    if (positionWeights.length != outH * outW) {
      throw new IllegalArgumentException("one weight per output position is required");
    }
    for (long w : positionWeights) {
      if (w < 1 || w > 1 << 20) {
        throw new IllegalArgumentException("position weights must be in [1, 2^20], got " + w);
      }
    }
    if (bias.length != (long) inputShape.channels() * outH * outW) {
      throw new IllegalArgumentException("average pool bias needs one value per output value");
    }
    if (requantization == null) {
      throw new IllegalArgumentException("average pooling requantizes its sums");
    }
    positionWeights = positionWeights.clone();
    bias = bias.clone();
  }

  @Override
  public int[] inputs() {
    return new int[] {input};
  }

  @Override
  public TensorShape outputShape() {
    return new TensorShape(
        inputShape.channels(),
        window.outputHeight(inputShape.height()),
        window.outputWidth(inputShape.width()));
  }

  @Override
  public long[] positionWeights() {
    return positionWeights.clone();
  }

  @Override
  public long[] bias() {
    return bias.clone();
  }

  public long[] biasView() {
    return bias;
  }

  public long[] positionWeightsView() {
    return positionWeights;
  }

  /** The largest |z|: max_p w_p · kernel · 128 + max |b|. */
  public long accumulatorBound() {
    long w = Arrays.stream(positionWeights).max().orElse(1);
    long b = Arrays.stream(bias).map(Math::abs).max().orElse(0);
    return w * window.kernelSize() * 128L + b;
  }

  @Override
  public String kind() {
    return "AveragePool";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AveragePoolOp a
        && input == a.input
        && inputShape.equals(a.inputShape)
        && window.equals(a.window)
        && Arrays.equals(positionWeights, a.positionWeights)
        && Arrays.equals(bias, a.bias)
        && requantization.equals(a.requantization);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bias);
  }
}
