package io.vouch.onnx.quant;

import java.util.Arrays;

/**
 * Softmax over the last axis of an int8 tensor, in integers: the tensor holds {@code batch} ×
 * {@code rows} rows of {@code length} values (row-major); per row r
 *
 * <ol>
 *   <li>m_r = max_j x[r, j] and d = m_r − x[r, j] ∈ [0, 255];
 *   <li>e = exp[d], the table round(e_0·exp(−s_x·d)) with e_0 = exp[0] (the quantizer's 2^12);
 *   <li>E_r = Σ_j e[r, j] and y = ⌊(2·Q·e + E_r) / (2·E_r)⌋ = round(Q·e/E_r), Q = {@link
 *       #outputMax()} (127: the output's scale is 1/Q, probabilities in [0, 127]).
 * </ol>
 *
 * Every step is exact; the only approximations are the exponential's rounding to integers and the
 * last division's rounding (onnx/README.md has the bound).
 */
public record SoftmaxOp(
    int input, TensorShape outputShape, int batch, int rows, int length, long[] exp, int outputMax)
    implements IntegerOp {
  public SoftmaxOp {
    if (batch < 1 || rows < 1 || length < 1 || (long) batch * rows * length != outputShape.size()) {
      throw new IllegalArgumentException(
          "softmax rows "
              + batch
              + "×"
              + rows
              + " of "
              + length
              + " do not fill the shape "
              + outputShape);
    }
    if (exp.length != 256) {
      throw new IllegalArgumentException("the exponential table has 256 entries");
    }
    for (int d = 0; d < exp.length; d++) {
      if (exp[d] < 0 || exp[d] > exp[0] || (d > 0 && exp[d] > exp[d - 1])) {
        throw new IllegalArgumentException(
            "the exponential table must be non-negative and non-increasing from exp[0]");
      }
    }
    if (exp[0] < 1 || exp[0] > 1 << 16) {
      throw new IllegalArgumentException("exp[0] must be in [1, 2^16], got " + exp[0]);
    }
    if (outputMax < 1 || outputMax > 127) {
      throw new IllegalArgumentException("the output maximum must be in [1, 127]");
    }
    exp = exp.clone();
  }

  @Override
  public int[] inputs() {
    return new int[] {input};
  }

  @Override
  public long[] exp() {
    return exp.clone();
  }

  /** Rows in all: batch × rows. */
  public int rowCount() {
    return batch * rows;
  }

  /** The largest row sum E: length·exp[0]. */
  public long sumBound() {
    return (long) length * exp[0];
  }

  @Override
  public Requantization requantization() {
    return null;
  }

  @Override
  public String kind() {
    return "Softmax";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SoftmaxOp s
        && input == s.input
        && outputShape.equals(s.outputShape)
        && batch == s.batch
        && rows == s.rows
        && length == s.length
        && Arrays.equals(exp, s.exp)
        && outputMax == s.outputMax;
  }

  @Override
  public int hashCode() {
    return 31 * input + Arrays.hashCode(exp);
  }
}
