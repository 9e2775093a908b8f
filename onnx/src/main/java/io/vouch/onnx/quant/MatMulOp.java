package io.vouch.onnx.quant;

/**
 * A product of two int8 activations (attention's Q·Kᵀ and P·V): the left tensor holds {@code batch}
 * matrices of m × k values, the right one {@code batch} matrices of k × n, both row-major in their
 * flattened order; z[b, i, l] = Σ_j L[b, i, j]·R[b, j, l], then requantized with one multiplier.
 * The tensors' shapes are free as long as their sizes fit (a [1, H, S, d] tensor is batch H of S ×
 * d).
 */
public record MatMulOp(
    int left,
    int right,
    int batch,
    int m,
    int k,
    int n,
    TensorShape outputShape,
    Requantization requantization)
    implements IntegerOp {
  public MatMulOp {
    if (batch < 1 || m < 1 || k < 1 || n < 1) {
      throw new IllegalArgumentException("a matrix product needs positive dimensions");
    }
    if (outputShape.size() != (long) batch * m * n) {
      throw new IllegalArgumentException(
          "output shape " + outputShape + " does not hold " + batch + "×" + m + "×" + n);
    }
    if (requantization == null || requantization.multipliers().length != 1) {
      throw new IllegalArgumentException("a matrix product requantizes with one multiplier");
    }
  }

  @Override
  public int[] inputs() {
    return new int[] {left, right};
  }

  /** The largest |z|: k·128·128. */
  public long accumulatorBound() {
    return (long) k * 128 * 128;
  }

  @Override
  public String kind() {
    return "MatMul";
  }
}
