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
   */
  static SumCheckPolynomial rowIdentity(long length, GoldilocksExt2 lambda) {
    long l0 = lambda.c0(), l1 = lambda.c1();
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
        // −L·S²
        long ss0 = GoldilocksExt2.mul0(s0, s1, s0, s1), ss1 = GoldilocksExt2.mul1(s0, s1, s0, s1);
        long a0 = Goldilocks.mul(ss0, negL), a1 = Goldilocks.mul(ss1, negL);
        // − σ² − s1
        long gg0 = GoldilocksExt2.mul0(g0, g1, g0, g1), gg1 = GoldilocksExt2.mul1(g0, g1, g0, g1);
        a0 = Goldilocks.sub(Goldilocks.sub(a0, gg0), q0);
        a1 = Goldilocks.sub(Goldilocks.sub(a1, gg1), q1);
        // − λ·(σ·ρ + r1)
        long p0 = Goldilocks.add(GoldilocksExt2.mul0(g0, g1, r0, r1), t0);
        long p1 = Goldilocks.add(GoldilocksExt2.mul1(g0, g1, r0, r1), t1);
        a0 = Goldilocks.sub(a0, GoldilocksExt2.mul0(p0, p1, l0, l1));
        a1 = Goldilocks.sub(a1, GoldilocksExt2.mul1(p0, p1, l0, l1));
        out[0] = GoldilocksExt2.mul0(e0, e1, a0, a1);
        out[1] = GoldilocksExt2.mul1(e0, e1, a0, a1);
      }
    };
  }

  /** t0·t1·t2 + μ·t3·t4·t4: the normalized outputs and the rows' sums of squares at once. */
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
        long b0 = GoldilocksExt2.mul0(a0, a1, v[4], v[5]);
        long b1 = GoldilocksExt2.mul1(a0, a1, v[4], v[5]);
        long x0 = v[8], x1 = v[9];
        long xx0 = GoldilocksExt2.mul0(x0, x1, x0, x1), xx1 = GoldilocksExt2.mul1(x0, x1, x0, x1);
        long c0 = GoldilocksExt2.mul0(xx0, xx1, v[6], v[7]);
        long c1 = GoldilocksExt2.mul1(xx0, xx1, v[6], v[7]);
        long d0 = GoldilocksExt2.mul0(c0, c1, m0, m1), d1 = GoldilocksExt2.mul1(c0, c1, m0, m1);
        out[0] = Goldilocks.add(b0, d0);
        out[1] = Goldilocks.add(b1, d1);
      }
    };
  }
}
