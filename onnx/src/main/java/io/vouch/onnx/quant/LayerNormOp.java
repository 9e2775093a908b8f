package io.vouch.onnx.quant;

import java.util.Arrays;

/**
 * Layer normalization over the last axis, in integers: the tensor holds {@code batch} × {@code
 * rows} rows of {@code length} = L int8 values x (row-major); per row
 *
 * <ol>
 *   <li>S = Σ_j x_j and c_j = L·x_j − S (L times the centred value, exact);
 *   <li>V = Σ_j c_j² (L³ times the variance) and σ = ⌊√(V + E)⌋, E = {@link #epsilon()} ≥ 1 (ε·L³
 *       in code units);
 *   <li>ρ = ⌊2^K / σ⌋, K = {@link #precision()}: the reciprocal standard deviation, so c·ρ ≈ 2^K·(x
 *       − mean)/√(var + ε)/√L, and |c·ρ| ≤ 2^K always (|c| ≤ σ);
 *   <li>z_j = g_j·c_j·ρ + b_j (g = the scale γ, b = the shift β, per column), requantized.
 * </ol>
 *
 * The fused ONNX LayerNormalization and the exporters' ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div
 * form both become this op (onnx/README.md).
 */
public record LayerNormOp(
    int input,
    TensorShape outputShape,
    int batch,
    int rows,
    int length,
    long[] gamma,
    long[] beta,
    long epsilon,
    int precision,
    Requantization requantization)
    implements IntegerOp {
  /**
   * Longest row: σ stays below 2^26 (V ≤ 2^16·L³), so σ², L²·Σx² and the proof's limbs stay far
   * below 2^62 (a BERT-style width of 384 and GPT-2's 768 fit).
   */
  public static final int MAX_LENGTH = 4096;

  /** Largest K: ρ ≤ 2^K stays below 2^30. */
  public static final int MAX_PRECISION = 29;

  public LayerNormOp {
    if (batch < 1 || rows < 1 || length < 2 || (long) batch * rows * length != outputShape.size()) {
      throw new IllegalArgumentException(
          "layer normalization rows "
              + batch
              + "×"
              + rows
              + " of "
              + length
              + " do not fill "
              + outputShape);
    }
    if (length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "layer normalization over rows of up to " + MAX_LENGTH + " values, got " + length);
    }
    if (gamma.length != length || beta.length != length) {
      throw new IllegalArgumentException("one scale and one shift per column");
    }
    for (long g : gamma) {
      if (Math.abs(g) >= 1L << 20) {
        throw new IllegalArgumentException("scales must be below 2^20 in magnitude");
      }
    }
    if (epsilon < 1 || epsilon > 1L << 20) {
      throw new IllegalArgumentException("ε in code units must be in [1, 2^20], got " + epsilon);
    }
    if (precision < 1 || precision > MAX_PRECISION) {
      throw new IllegalArgumentException("K must be in [1, " + MAX_PRECISION + "]");
    }
    if (requantization == null || requantization.multipliers().length != 1) {
      throw new IllegalArgumentException("a layer normalization requantizes with one multiplier");
    }
    gamma = gamma.clone();
    beta = beta.clone();
  }

  @Override
  public int[] inputs() {
    return new int[] {input};
  }

  @Override
  public long[] gamma() {
    return gamma.clone();
  }

  @Override
  public long[] beta() {
    return beta.clone();
  }

  public int rowCount() {
    return batch * rows;
  }

  /** The largest |z|: max|g|·2^K + max|b| (|c·ρ| ≤ 2^K). */
  public long accumulatorBound() {
    long g = Arrays.stream(gamma).map(Math::abs).max().orElse(0);
    long b = Arrays.stream(beta).map(Math::abs).max().orElse(0);
    return g * (1L << precision) + b;
  }

  /** ⌊√v⌋ for v ≥ 0. */
  public static long isqrt(long v) {
    long s = (long) Math.sqrt((double) v);
    while (s * s > v) {
      s--;
    }
    while ((s + 1) * (s + 1) <= v) {
      s++;
    }
    return s;
  }

  @Override
  public String kind() {
    return "LayerNorm";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LayerNormOp l
        && input == l.input
        && outputShape.equals(l.outputShape)
        && batch == l.batch
        && rows == l.rows
        && length == l.length
        && Arrays.equals(gamma, l.gamma)
        && Arrays.equals(beta, l.beta)
        && epsilon == l.epsilon
        && precision == l.precision
        && requantization.equals(l.requantization);
  }

  @Override
  public int hashCode() {
    return 31 * input + Arrays.hashCode(gamma);
  }
}
