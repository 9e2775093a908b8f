package io.vouch.zk.field;

import static io.vouch.zk.field.GoldilocksExt2.LAZY_BLOCK;
import static io.vouch.zk.field.GoldilocksExt2.lazyHigh0;
import static io.vouch.zk.field.GoldilocksExt2.lazyHigh1;
import static io.vouch.zk.field.GoldilocksExt2.lazyLow0;
import static io.vouch.zk.field.GoldilocksExt2.lazyLow1;
import static io.vouch.zk.field.GoldilocksExt2.mul0;
import static io.vouch.zk.field.GoldilocksExt2.mul1;
import static io.vouch.zk.field.GoldilocksExt2.mulAdd0;
import static io.vouch.zk.field.GoldilocksExt2.mulAdd1;

/**
 * Multilinear extensions of vectors of length 2^n and the eq(r, ·) table.
 *
 * <p>Convention used throughout the prover: coordinate r_j of a point belongs to bit j of the index
 * (r_0 is the least significant bit). So f̃(r) = Σ_x f[x]·eq(r, x) with eq(r, x) = Π_j (x_j ? r_j :
 * 1 − r_j). Vectors over K are interleaved long pairs; points are arrays of {@link GoldilocksExt2}.
 */
public final class Multilinear {
  private Multilinear() {}

  /** The table eq(r, x) for every x in {0,1}^n, as an interleaved K vector of length 2^n. */
  public static long[] eqTable(GoldilocksExt2[] r) {
    int n = r.length;
    long[] t = new long[2 << n];
    t[0] = 1;
    for (int j = 0; j < n; j++) {
      int size = 1 << j;
      long r0 = r[j].c0(), r1 = r[j].c1();
      for (int x = 0; x < size; x++) {
        long a0 = t[2 * x], a1 = t[2 * x + 1];
        long h0 = mul0(a0, a1, r0, r1), h1 = mul1(a0, a1, r0, r1);
        t[2 * (x + size)] = h0;
        t[2 * (x + size) + 1] = h1;
        t[2 * x] = Goldilocks.sub(a0, h0);
        t[2 * x + 1] = Goldilocks.sub(a1, h1);
      }
    }
    return t;
  }

  /**
   * eq(r_{&gt;i}, ·) for every i &lt; n = |r| (table i has 2^(n−1−i) values, r_{i+1} its lowest
   * variable), each from the next by one multiplication per value: the tables {@link #eqTable}
   * gives for each suffix of r, the weights of a sum-check round that factors eq(r, ·) out (Gruen's
   * zero-check: round i's polynomial is eq(r_i, t) times a sum weighted by table i).
   */
  public static long[][] eqSuffixTables(GoldilocksExt2[] r) {
    int n = r.length;
    long[][] out = new long[n][];
    if (n == 0) {
      return out;
    }
    out[n - 1] = new long[] {1, 0};
    for (int i = n - 2; i >= 0; i--) {
      long[] next = out[i + 1];
      int size = next.length / 2;
      long[] t = new long[4 * size];
      long r0 = r[i + 1].c0(), r1 = r[i + 1].c1();
      for (int x = 0; x < size; x++) {
        long a0 = next[2 * x], a1 = next[2 * x + 1];
        long m0 = mul0(a0, a1, r0, r1);
        long m1 = mul1(a0, a1, r0, r1);
        t[4 * x] = Goldilocks.sub(a0, m0);
        t[4 * x + 1] = Goldilocks.sub(a1, m1);
        t[4 * x + 2] = m0;
        t[4 * x + 3] = m1;
      }
      out[i] = t;
    }
    return out;
  }

  /**
   * Binds the lowest variable of a multilinear table to c, in place: t'(x) = t(2x) + c·(t(2x + 1) −
   * t(2x)) for x below {@code half}, where t is an interleaved K vector of 2·half values (the
   * sum-check's fold). The upper half of the array is left as it was. Each value is one reduction
   * ({@link GoldilocksExt2#mulAdd0}: the product and the addition in lazy form).
   */
  public static void bindLowest(long[] t, int half, GoldilocksExt2 c) {
    long c0 = c.c0(), c1 = c.c1();
    for (int x = 0; x < half; x++) {
      long lo0 = t[4 * x], lo1 = t[4 * x + 1], hi0 = t[4 * x + 2], hi1 = t[4 * x + 3];
      if ((lo0 | lo1 | hi0 | hi1) == 0) {
        t[2 * x] = 0; // a zero pair folds to zero (a tensor layout's padding): no products
        t[2 * x + 1] = 0;
        continue;
      }
      long d0 = Goldilocks.sub(hi0, lo0), d1 = Goldilocks.sub(hi1, lo1);
      t[2 * x] = mulAdd0(lo0, d0, d1, c0, c1);
      t[2 * x + 1] = mulAdd1(lo1, d0, d1, c0, c1);
    }
  }

  /** eq(a, b) = Π_j (a_j b_j + (1 − a_j)(1 − b_j)) for two points of equal length. */
  public static GoldilocksExt2 eq(GoldilocksExt2[] a, GoldilocksExt2[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("eq of points of lengths " + a.length + ", " + b.length);
    }
    GoldilocksExt2 acc = GoldilocksExt2.ONE;
    for (int j = 0; j < a.length; j++) {
      GoldilocksExt2 ab = a[j].mul(b[j]);
      // a b + (1 − a)(1 − b) = 1 − a − b + 2ab
      GoldilocksExt2 term = GoldilocksExt2.ONE.sub(a[j]).sub(b[j]).add(ab).add(ab);
      acc = acc.mul(term);
    }
    return acc;
  }

  /**
   * Σ_{x &lt; bound} eq(r, x) over the first {@code bound} points of {0,1}^|r| (x read with r_0 on
   * its least significant bit), in O(|r|): the multilinear of the indicator of [0, bound) at r.
   * {@code bound} may be anything from 0 to 2^|r|.
   */
  public static GoldilocksExt2 eqPrefixSum(GoldilocksExt2[] r, long bound) {
    if (bound <= 0) {
      return GoldilocksExt2.ZERO;
    }
    if (r.length < 63 && bound >= 1L << r.length) {
      return GoldilocksExt2.ONE;
    }
    GoldilocksExt2 sum = GoldilocksExt2.ZERO;
    GoldilocksExt2 prefix = GoldilocksExt2.ONE;
    for (int j = r.length - 1; j >= 0; j--) {
      if (((bound >>> j) & 1) == 1) {
        // every x agreeing with bound above bit j and having 0 at bit j is below bound
        sum = sum.add(prefix.mul(GoldilocksExt2.ONE.sub(r[j])));
        prefix = prefix.mul(r[j]);
      } else {
        prefix = prefix.mul(GoldilocksExt2.ONE.sub(r[j]));
      }
    }
    return sum;
  }

  /** eq(r, x) for one index x of {0,1}^|r| (r_0 on the least significant bit of x). */
  public static GoldilocksExt2 eqAt(GoldilocksExt2[] r, long x) {
    GoldilocksExt2 acc = GoldilocksExt2.ONE;
    for (int j = 0; j < r.length; j++) {
      acc = acc.mul(((x >>> j) & 1) == 1 ? r[j] : GoldilocksExt2.ONE.sub(r[j]));
    }
    return acc;
  }

  /**
   * f̃(r) for a base-field vector f of length 2^{|r|}, by binding one variable after another: the
   * first binding, f[2x] + r_0·(f[2x+1] − f[2x]), multiplies base-field differences by r_0 (two
   * base multiplications each), the later ones are {@link #bindLowest} on half as many values —
   * about half the work of building eq(r, ·) and taking the inner product, the same field element.
   */
  public static GoldilocksExt2 evaluate(long[] f, GoldilocksExt2[] r) {
    checkLength(f.length, r.length);
    int n = r.length;
    if (n == 0) {
      return GoldilocksExt2.of(Goldilocks.reduce64(f[0]));
    }
    int half = 1 << (n - 1);
    long[] t = new long[2 * half];
    long c0 = r[0].c0(), c1 = r[0].c1();
    for (int x = 0; x < half; x++) {
      long lo = Goldilocks.reduce64(f[2 * x]);
      long d = Goldilocks.sub(Goldilocks.reduce64(f[2 * x + 1]), lo);
      if (d == 0) {
        t[2 * x] = lo;
      } else {
        t[2 * x] = Goldilocks.mulAdd(lo, d, c0);
        t[2 * x + 1] = Goldilocks.mul(d, c1);
      }
    }
    for (int j = 1; j < n; j++) {
      half >>= 1;
      bindLowest(t, half, r[j]);
    }
    return GoldilocksExt2.at(t, 0);
  }

  /**
   * f̃(r) for an interleaved K vector f of length 2^{|r|}, by binding one variable after another
   * (2^{|r|} multiplications in K, half of building eq(r, ·) and taking the inner product).
   */
  public static GoldilocksExt2 evaluateExt(long[] f, GoldilocksExt2[] r) {
    checkLength(f.length / 2, r.length);
    int n = r.length;
    if (n == 0) {
      return GoldilocksExt2.at(f, 0);
    }
    int half = 1 << (n - 1);
    long[] t = new long[2 * half];
    long c0 = r[0].c0(), c1 = r[0].c1();
    for (int x = 0; x < half; x++) {
      long lo0 = f[4 * x], lo1 = f[4 * x + 1];
      long d0 = Goldilocks.sub(f[4 * x + 2], lo0), d1 = Goldilocks.sub(f[4 * x + 3], lo1);
      t[2 * x] = mulAdd0(lo0, d0, d1, c0, c1);
      t[2 * x + 1] = mulAdd1(lo1, d0, d1, c0, c1);
    }
    for (int j = 1; j < n; j++) {
      half >>= 1;
      bindLowest(t, half, r[j]);
    }
    return GoldilocksExt2.at(t, 0);
  }

  /**
   * Σ_i f[i]·e[i] for base f and interleaved K vector e (e may be longer than f). The products are
   * summed in lazy form ({@link Goldilocks#lazyLow}) and reduced once per {@link
   * GoldilocksExt2#LAZY_BLOCK} entries: the same residue as reducing each, without a reduction (or
   * a test for a zero entry) per term.
   */
  public static GoldilocksExt2 innerProductBase(long[] f, long[] e) {
    return innerProductBase(f, 0, f.length, e);
  }

  /**
   * Σ_{i &lt; length} f[offset + i]·e[i] for base f and interleaved K vector e: {@link
   * #innerProductBase(long[], long[])} on a slice of f (a row of a row-major matrix).
   */
  public static GoldilocksExt2 innerProductBase(long[] f, int offset, int length, long[] e) {
    long s0 = 0, s1 = 0;
    for (int from = 0; from < length; from += LAZY_BLOCK) {
      int to = Math.min(length, from + LAZY_BLOCK);
      long low0 = 0, high0 = 0, low1 = 0, high1 = 0;
      for (int i = from; i < to; i++) {
        long v = f[offset + i], e0 = e[2 * i], e1 = e[2 * i + 1];
        low0 += Goldilocks.lazyLow(v, e0);
        high0 += Goldilocks.lazyHigh(v, e0);
        low1 += Goldilocks.lazyLow(v, e1);
        high1 += Goldilocks.lazyHigh(v, e1);
      }
      s0 = Goldilocks.add(s0, Goldilocks.settle(low0, high0));
      s1 = Goldilocks.add(s1, Goldilocks.settle(low1, high1));
    }
    return new GoldilocksExt2(s0, s1);
  }

  /**
   * Σ_i a[i]·b[i] for interleaved K vectors (over the shorter length), summed in lazy form and
   * reduced once per {@link GoldilocksExt2#LAZY_BLOCK} terms (see {@link #innerProductBase}).
   */
  public static GoldilocksExt2 innerProduct(long[] a, long[] b) {
    return innerProduct(a, 0, b, 0, Math.min(a.length, b.length) / 2);
  }

  /**
   * Σ_{i &lt; n} a[aFrom + i]·b[bFrom + i] for interleaved K vectors (offsets in K elements), as
   * {@link #innerProduct(long[], long[])} sums.
   */
  public static GoldilocksExt2 innerProduct(long[] a, int aFrom, long[] b, int bFrom, int n) {
    long s0 = 0, s1 = 0;
    for (int from = 0; from < n; from += LAZY_BLOCK) {
      int to = Math.min(n, from + LAZY_BLOCK);
      long low0 = 0, high0 = 0, low1 = 0, high1 = 0;
      for (int i = from; i < to; i++) {
        int x = 2 * (aFrom + i), y = 2 * (bFrom + i);
        long a0 = a[x], a1 = a[x + 1], b0 = b[y], b1 = b[y + 1];
        low0 += lazyLow0(a0, a1, b0, b1);
        high0 += lazyHigh0(a0, a1, b0, b1);
        low1 += lazyLow1(a0, a1, b0, b1);
        high1 += lazyHigh1(a0, a1, b0, b1);
      }
      s0 = Goldilocks.add(s0, Goldilocks.settle(low0, high0));
      s1 = Goldilocks.add(s1, Goldilocks.settle(low1, high1));
    }
    return new GoldilocksExt2(s0, s1);
  }

  /** Lifts a base-field vector into an interleaved K vector. */
  public static long[] lift(long[] f) {
    long[] out = new long[2 * f.length];
    for (int i = 0; i < f.length; i++) {
      out[2 * i] = f[i];
    }
    return out;
  }

  private static void checkLength(int length, int vars) {
    if (length != 1 << vars) {
      throw new IllegalArgumentException(
          "a multilinear in " + vars + " variables needs 2^" + vars + " values, got " + length);
    }
  }
}
