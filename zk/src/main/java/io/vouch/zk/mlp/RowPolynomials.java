package io.vouch.zk.mlp;

import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.sumcheck.SumCheckPolynomial;

/** The sum-check summands of the layer normalization's relations (degree 3, no allocation). */
final class RowPolynomials {
  private RowPolynomials() {}

  /**
   * The per-row identities of a layer normalization combined with λ: t0·(−L·t1² − t2² − t3 −
   * λ·(t2·t4 + t5)), tables eq, S, σ, s1, ρ, r1. Its sum is −L²·q* − (E + λ·2^K)·RR(τ).
   *
   * <p>The bracket is one sum of three products and a value, −L·S² + (−σ)·σ + (−λ)·(σ·ρ + r1) − s1,
   * reduced once from lazy form ({@link Goldilocks#lazyLow}; the negations go into a factor, as a
   * lazy form's high part must not be negative): four reductions per coordinate where each product
   * and difference took its own.
   */
  static SumCheckPolynomial rowIdentity(long length, GoldilocksExt2 lambda) {
    long nl0 = Goldilocks.neg(lambda.c0()), nl1 = Goldilocks.neg(lambda.c1());
    long negL = Goldilocks.sub(0, Goldilocks.fromSigned(length));
    return new SumCheckPolynomial() {
      @Override
      public int degree() {
        return 3;
      }

      @Override
      public void evaluate(long[] v, long[] out) {
        long e0 = v[0], e1 = v[1], s0 = v[2], s1 = v[3], g0 = v[4], g1 = v[5];
        long q0 = v[6], q1 = v[7], r0 = v[8], r1 = v[9], t0 = v[10], t1 = v[11];
        long ss0 = GoldilocksExt2.mul0(s0, s1, s0, s1), ss1 = GoldilocksExt2.mul1(s0, s1, s0, s1);
        // σ·ρ + r1
        long p0 = GoldilocksExt2.mulAdd0(t0, g0, g1, r0, r1);
        long p1 = GoldilocksExt2.mulAdd1(t1, g0, g1, r0, r1);
        // −L·S² + (−σ)·σ + (−λ)·(σ·ρ + r1) − s1
        long ng0 = Goldilocks.neg(g0), ng1 = Goldilocks.neg(g1);
        long nq0 = Goldilocks.neg(q0), nq1 = Goldilocks.neg(q1);
        long a0 =
            Goldilocks.settle(
                Goldilocks.lazyLow(ss0, negL)
                    + GoldilocksExt2.lazyLow0(ng0, ng1, g0, g1)
                    + GoldilocksExt2.lazyLow0(nl0, nl1, p0, p1)
                    + (nq0 & 0xFFFF_FFFFL),
                Goldilocks.lazyHigh(ss0, negL)
                    + GoldilocksExt2.lazyHigh0(ng0, ng1, g0, g1)
                    + GoldilocksExt2.lazyHigh0(nl0, nl1, p0, p1)
                    + (nq0 >>> 32));
        long a1 =
            Goldilocks.settle(
                Goldilocks.lazyLow(ss1, negL)
                    + GoldilocksExt2.lazyLow1(ng0, ng1, g0, g1)
                    + GoldilocksExt2.lazyLow1(nl0, nl1, p0, p1)
                    + (nq1 & 0xFFFF_FFFFL),
                Goldilocks.lazyHigh(ss1, negL)
                    + GoldilocksExt2.lazyHigh1(ng0, ng1, g0, g1)
                    + GoldilocksExt2.lazyHigh1(nl0, nl1, p0, p1)
                    + (nq1 >>> 32));
        out[0] = GoldilocksExt2.mul0(e0, e1, a0, a1);
        out[1] = GoldilocksExt2.mul1(e0, e1, a0, a1);
      }
    };
  }

  /**
   * t0·t1·t2 + μ·t3·t4·t4: the normalized outputs and the rows' sums of squares at once; the last
   * two products and their sum reduced once ({@link GoldilocksExt2#dot0}).
   */
  static SumCheckPolynomial outputsAndSquares(GoldilocksExt2 mu) {
    long m0 = mu.c0(), m1 = mu.c1();
    return new SumCheckPolynomial() {
      @Override
      public int degree() {
        return 3;
      }

      @Override
      public void evaluate(long[] v, long[] out) {
        long a0 = GoldilocksExt2.mul0(v[0], v[1], v[2], v[3]);
        long a1 = GoldilocksExt2.mul1(v[0], v[1], v[2], v[3]);
        long x0 = v[8], x1 = v[9];
        long xx0 = GoldilocksExt2.mul0(x0, x1, x0, x1), xx1 = GoldilocksExt2.mul1(x0, x1, x0, x1);
        long c0 = GoldilocksExt2.mul0(xx0, xx1, v[6], v[7]);
        long c1 = GoldilocksExt2.mul1(xx0, xx1, v[6], v[7]);
        long b0 = v[4], b1 = v[5];
        out[0] = GoldilocksExt2.dot0(a0, a1, b0, b1, c0, c1, m0, m1);
        out[1] = GoldilocksExt2.dot1(a0, a1, b0, b1, c0, c1, m0, m1);
      }
    };
  }
}
