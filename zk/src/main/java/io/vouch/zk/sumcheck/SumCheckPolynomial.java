package io.vouch.zk.sumcheck;

/**
 * The summand g(t_1(x), ..., t_m(x)) of a sum-check Σ_x g(...) over multilinear tables t_j: a
 * polynomial of total degree {@link #degree()} in the table values.
 */
public interface SumCheckPolynomial {
  int degree();

  /**
   * Writes g(values) into out[0], out[1] (a K element); values holds one K element per table,
   * interleaved. {@link SumCheck#prove} calls it from two threads at once on large rounds (each
   * with its own arrays), so an implementation keeps no mutable state.
   */
  void evaluate(long[] values, long[] out);

  /** Σ_x Π_j t_j(x): the product of {@code factors} multilinears (degree = factors). */
  static SumCheckPolynomial product(int factors) {
    if (factors < 1) {
      throw new IllegalArgumentException("a product needs at least one factor");
    }
    return new SumCheckPolynomial() {
      @Override
      public int degree() {
        return factors;
      }

      @Override
      public void evaluate(long[] v, long[] out) {
        long a0 = v[0], a1 = v[1];
        for (int j = 1; j < factors; j++) {
          long b0 = v[2 * j], b1 = v[2 * j + 1];
          long n0 = io.vouch.zk.field.GoldilocksExt2.mul0(a0, a1, b0, b1);
          a1 = io.vouch.zk.field.GoldilocksExt2.mul1(a0, a1, b0, b1);
          a0 = n0;
        }
        out[0] = a0;
        out[1] = a1;
      }
    };
  }
}
