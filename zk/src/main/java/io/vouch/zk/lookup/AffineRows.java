package io.vouch.zk.lookup;

import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;

/**
 * The table side of LogUp over a run of rows whose folded values are affine in an integer key: row
 * i folds to A + B·key_i, so its denominator α − A − B·key_i is B·(c − key_i) with c = (α − A)/B,
 * and Σ m_i/(B·(c − key_i)) = B^{-1}·Σ m_i/(c − key_i).
 *
 * <p>Why this is cheap: c − key differs from c only in its base coordinate, (c0 − key) + c1·X, so
 * its inverse is ((c0 − key) − c1·X)/N with the norm N = (c0 − key)^2 − 7·c1^2 in the base field.
 * The sum is S_a − c1·S_b·X with S_a = Σ m·(c0 − key)/N and S_b = Σ m/N: one base-field batch
 * inversion (Montgomery's trick) and about six base multiplications per row, on primitive longs,
 * instead of folding every row into K and inverting in K. The value is the same field element as
 * the row-by-row sum; N = 0 exactly when c = key, that is when α hits the table value (the same
 * event as a zero denominator of the row-by-row sum).
 */
final class AffineRows {
  private AffineRows() {}

  /**
   * Σ_{i ∈ [from, to)} m_i/(α − A − B·(row_i + shift)) over the listed rows of {@code m}.
   *
   * @throws ArithmeticException if a denominator is zero, or B is (callers pass B ≠ 0)
   */
  static GoldilocksExt2 sum(
      GoldilocksExt2 alpha,
      GoldilocksExt2 a,
      GoldilocksExt2 b,
      Multiplicities m,
      int from,
      int to,
      long shift) {
    if (from >= to) {
      return GoldilocksExt2.ZERO;
    }
    GoldilocksExt2 bInverse = b.inverse();
    GoldilocksExt2 c = alpha.sub(a).mul(bInverse);
    long c0 = c.c0(), c1 = c.c1();
    long sevenC1Squared = Goldilocks.mul(GoldilocksExt2.NONRESIDUE, Goldilocks.mul(c1, c1));
    int n = to - from;
    long[] prefix = new long[n];
    long[] norms = new long[n];
    long[] a0s = new long[n];
    // Montgomery's batch inversion in four interleaved chains (row i in chain i mod 4): each
    // chain's running product is a serial chain of multiplications, four of them overlap
    long acc0 = 1, acc1 = 1, acc2 = 1, acc3 = 1;
    for (int i = 0; i < n; i++) {
      long a0 = Goldilocks.sub(c0, Goldilocks.fromSigned(m.row(from + i) + shift));
      long norm = Goldilocks.sub(Goldilocks.mul(a0, a0), sevenC1Squared);
      if (norm == 0) {
        throw new ArithmeticException("LogUp: α hits table row " + m.row(from + i));
      }
      norms[i] = norm;
      a0s[i] = a0;
      switch (i & 3) {
        case 0 -> {
          prefix[i] = acc0;
          acc0 = Goldilocks.mul(acc0, norm);
        }
        case 1 -> {
          prefix[i] = acc1;
          acc1 = Goldilocks.mul(acc1, norm);
        }
        case 2 -> {
          prefix[i] = acc2;
          acc2 = Goldilocks.mul(acc2, norm);
        }
        default -> {
          prefix[i] = acc3;
          acc3 = Goldilocks.mul(acc3, norm);
        }
      }
    }
    long p01 = Goldilocks.mul(acc0, acc1), p23 = Goldilocks.mul(acc2, acc3);
    long all = Goldilocks.inverse(Goldilocks.mul(p01, p23));
    long i01 = Goldilocks.mul(all, p23), i23 = Goldilocks.mul(all, p01);
    long inv0 = Goldilocks.mul(i01, acc1), inv1 = Goldilocks.mul(i01, acc0);
    long inv2 = Goldilocks.mul(i23, acc3), inv3 = Goldilocks.mul(i23, acc2);
    // S_a = Σ w·a0 as an unreduced 192-bit sum (lo, hi, top), reduced once; S_b = Σ w
    long lo = 0, hi = 0, top = 0, sb = 0;
    for (int i = n - 1; i >= 0; i--) {
      long w;
      switch (i & 3) {
        case 0 -> {
          w = Goldilocks.mul(prefix[i], inv0);
          inv0 = Goldilocks.mul(inv0, norms[i]);
        }
        case 1 -> {
          w = Goldilocks.mul(prefix[i], inv1);
          inv1 = Goldilocks.mul(inv1, norms[i]);
        }
        case 2 -> {
          w = Goldilocks.mul(prefix[i], inv2);
          inv2 = Goldilocks.mul(inv2, norms[i]);
        }
        default -> {
          w = Goldilocks.mul(prefix[i], inv3);
          inv3 = Goldilocks.mul(inv3, norms[i]);
        }
      }
      long count = m.count(from + i);
      if (count != 1) {
        w = Goldilocks.mul(w, Goldilocks.reduce64(count));
      }
      long a0 = a0s[i];
      long pl = w * a0, ph = Math.unsignedMultiplyHigh(w, a0);
      long nl = lo + pl;
      long add = ph + (((lo & pl) | ((lo | pl) & ~nl)) >>> 63);
      long nh = hi + add;
      top += ((hi & add) | ((hi | add) & ~nh)) >>> 63;
      lo = nl;
      hi = nh;
      sb = Goldilocks.add(sb, w);
    }
    long sa = Goldilocks.sub(Goldilocks.reduce128(hi, lo), Goldilocks.reduce64(top << 32));
    return new GoldilocksExt2(sa, Goldilocks.neg(Goldilocks.mul(c1, sb))).mul(bInverse);
  }

  /** The first index in [from, to) whose row is at least {@code row} (rows ascend). */
  static int firstAtLeast(Multiplicities m, int from, int to, long row) {
    int lo = from, hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (m.row(mid) < row) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
