package io.vouch.onnx.quant;

/**
 * The elementwise product of two int8 activations of one shape (ONNX Mul between activations: a
 * Gelu written as x·(1 + erf(x/√2))/2, gates): z[i] = x[i]·y[i], then requantized with one
 * multiplier.
 */
public record ProductOp(int left, int right, TensorShape outputShape, Requantization requantization)
    implements IntegerOp {
  public ProductOp {
    if (requantization == null || requantization.multipliers().length != 1) {
      throw new IllegalArgumentException("an elementwise product requantizes with one multiplier");
    }
  }

  @Override
  public int[] inputs() {
    return new int[] {left, right};
  }

  /** The largest |z|: 128·128. */
  public long accumulatorBound() {
    return 128L * 128;
  }

  @Override
  public String kind() {
    return "Product";
  }
}
