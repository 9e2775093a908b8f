package io.vouch.onnx.quant;

import java.util.Arrays;

/**
 * Softmax over the last axis of an int8 tensor, in integers: the tensor holds {@code batch} ×
 * {@code rows} rows of {@code length} values (row-major); per row r
 *
 * <ol>
 *   <li>m_r = max_j x[r, j] and d = m_r − x[r, j] ∈ [0, 255];
 *   <li>e = exp[d], the table round(e_0·exp(−s_x·d)) with e_0 = exp[0] (the quantizer's 2^12);
 *   <li>E_r = Σ_j e[r, j], the row's reciprocal R_r = ⌊Q·2^K / E_r⌋ and y = ⌊(e·R_r + 2^(K−1)) /
 *       2^K⌋, Q = {@link #outputMax()} (127: the output's scale is 1/Q, probabilities in [0, 127]),
 *       K = {@link #reciprocalShift()} (20 for rows of 128 values with exp[0] = 2^12).
 * </ol>
 *
 * Every step is exact; the approximations are the exponential's rounding to integers and the
 * division's: R_r ≥ 2·Q (K is one bit above the largest row sum), so a row's values are scaled by
 * R_r·E_r/(Q·2^K) ∈ (1 − 1/(2Q), 1], and e·R_r/2^K lies in (Q·e/E_r − e/2^K, Q·e/E_r] with e/2^K ≤
 * 1/(2·length): y is within ½ + 1/(2·length) of Q·e/E_r (onnx/README.md). One reciprocal per row,
 * not a division per value, is what a proof checks cheaply: per value a product and one remainder
 * below 2^K, per row one division (zk/README.md).
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

  /**
   * K of the per-row reciprocal ⌊Q·2^K/E⌋: one bit above the largest row sum length·exp[0]
   * (⌈log2(length·exp[0])⌉ + 1), so that the reciprocal is at least 2·Q and its floor moves a row's
   * values by less than one part in 2·Q, each value by less than e/2^K ≤ 1/(2·length).
   */
  public int reciprocalShift() {
    return 65 - Long.numberOfLeadingZeros(sumBound() - 1);
  }

  /** A row's reciprocal ⌊Q·2^K / E⌋ for its sum E ≥ 1. */
  public long reciprocal(long sum) {
    return ((long) outputMax << reciprocalShift()) / sum;
  }

  /** The output for an exponential e in a row of reciprocal R: ⌊(e·R + 2^(K−1)) / 2^K⌋. */
  public int divide(long e, long reciprocal) {
    int k = reciprocalShift();
    return (int) ((e * reciprocal + (1L << (k - 1))) >> k);
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
