package io.vouch.zk.sumcheck;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.exec.Parallel;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Multilinear;
import io.vouch.zk.transcript.Transcript;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The sum-check protocol for Σ_{x ∈ {0,1}^n} g(t_1(x), ..., t_m(x)), with multilinear tables t_j
 * and a summand g of degree d (2 or 3 in this module).
 *
 * <p>Variables are bound least significant first, so the returned point matches {@link
 * io.vouch.zk.field.Multilinear}'s convention. Each round's polynomial is sent as its d + 1
 * evaluations at 0..d and absorbed before the round challenge.
 *
 * <p>Soundness: a false claim survives round i only if the challenge hits a root of the difference
 * of two distinct degree-d polynomials, so the error is at most n·d/|K| ≈ n·d·2^-128 (for n ≤ 32, d
 * ≤ 3: below 2^-121).
 */
public final class SumCheck {
  private SumCheck() {}

  /**
   * The rounds of a sum-check over {@code tables} (interleaved pairs of K values): log2 of their
   * common length in values, refused unless the lengths are equal powers of two.
   */
  private static int roundsOf(long[][] tables) {
    int size = tables[0].length / 2;
    for (long[] t : tables) {
      if (t.length / 2 != size) {
        throw new IllegalArgumentException("sum-check tables must have equal lengths");
      }
    }
    int n = Integer.numberOfTrailingZeros(size);
    if (size != 1 << n) {
      throw new IllegalArgumentException(
          "sum-check tables need a power-of-two length, got " + size);
    }
    return n;
  }

  /** Output of the prover: its messages, the random point, and each table's value there. */
  public record Proved(SumCheckProof proof, GoldilocksExt2[] point, GoldilocksExt2[] finalValues) {}

  /** Output of the verifier: the random point and the claim g(t(point)) left to check. */
  public record Reduced(GoldilocksExt2[] point, GoldilocksExt2 claim) {}

  /**
   * Proves the sum of g over the tables (interleaved K vectors of equal length 2^n; they are
   * consumed: folded in place).
   */
  public static Proved prove(Transcript transcript, SumCheckPolynomial g, long[][] tables) {
    int m = tables.length;
    int d = g.degree();
    return drive(
        transcript,
        roundsOf(tables),
        half -> {
          if (half < PARALLEL_HALF) {
            long[] sums = new long[2 * (d + 1)];
            genericSums(g, tables, 0, half, sums);
            return sums;
          }
          // chunks on both cores; field sums are exact, so the split does not change them
          return chunkedSums(
              half,
              2 * (d + 1),
              GENERIC_GRAIN,
              (from, to, out) -> genericSums(g, tables, from, to, out));
        },
        (half, c) -> {
          if (half >= PARALLEL_HALF && m > 1) {
            // in place, so a table is one chunk (a fold's writes land where its own later pairs
            // read)
            Parallel.forRange(m, 1, (from, to, who) -> bindRange(tables, from, to, half, c));
          } else {
            bindRange(tables, 0, m, half, c);
          }
        },
        () -> valuesAtZero(tables));
  }

  /** How one round of a sum-check prover sums its tables at t = 0..d, before its challenge. */
  private interface RoundSums {
    long[] at(int half);
  }

  /** How one round of a sum-check prover folds its tables at the round's challenge. */
  private interface RoundFold {
    void bind(int half, GoldilocksExt2 c);
  }

  /**
   * The rounds every prover here shares: the round's sums absorbed, a challenge drawn and the
   * tables folded at it, n times over halving domains; then the final values.
   */
  private static Proved drive(
      Transcript transcript,
      int n,
      RoundSums sums,
      RoundFold fold,
      Supplier<GoldilocksExt2[]> finals) {
    long[][] rounds = new long[n][];
    GoldilocksExt2[] point = new GoldilocksExt2[n];
    int size = 1 << n;
    for (int round = 0; round < n; round++) {
      int half = size >> 1;
      long[] s = sums.at(half);
      rounds[round] = s;
      transcript.absorbLongs("sumcheck/round", s);
      GoldilocksExt2 c = transcript.challengeExt("sumcheck/challenge");
      point[round] = c;
      fold.bind(half, c);
      size = half;
    }
    return new Proved(new SumCheckProof(rounds), point, finals.get());
  }

  /** Each table's first value (after the last fold: its value at the point). */
  private static GoldilocksExt2[] valuesAtZero(long[][] tables) {
    GoldilocksExt2[] finals = new GoldilocksExt2[tables.length];
    for (int j = 0; j < tables.length; j++) {
      finals[j] = GoldilocksExt2.at(tables[j], 0);
    }
    return finals;
  }

  /**
   * The sum-check of Σ_x Π_j t_j(x), specialized: the same messages, point and final values as
   * {@link #prove} with {@link SumCheckPolynomial#product}(tables.length), without a call per
   * point, on two cores for large rounds, and with the tables that hold base-field values (a lifted
   * witness vector: every X-coordinate 0, as a zero-check's differences d_k) multiplied in the base
   * field while they are: in the first round their product at each t costs one base multiplication
   * per table instead of an extension multiplication, and their fold two base multiplications per
   * value instead of four. The tables are consumed (folded in place).
   */
  public static Proved proveProductOf(Transcript transcript, long[][] tables) {
    int m = tables.length;
    boolean[] base = new boolean[m];
    for (int j = 0; j < m; j++) {
      base[j] = isBase(tables[j]);
    }
    return drive(
        transcript,
        roundsOf(tables),
        half -> {
          if (half < PARALLEL_HALF) {
            long[] sums = new long[2 * (m + 1)];
            productOfSums(tables, base, 0, half, sums);
            return sums;
          }
          boolean[] kinds = base.clone();
          return chunkedSums(
              half,
              2 * (m + 1),
              GENERIC_GRAIN,
              (from, to, out) -> productOfSums(tables, kinds, from, to, out));
        },
        (half, c) -> bindTables(tables, base, half, c),
        () -> valuesAtZero(tables));
  }

  /**
   * Folds every table at c, the base-field ones ({@code base}) as base tables, on both cores for a
   * large round (in place, so a table is one chunk); afterwards none is base: a base table bound at
   * an extension point is base no longer.
   */
  private static void bindTables(long[][] tables, boolean[] base, int half, GoldilocksExt2 c) {
    int m = tables.length;
    if (half >= PARALLEL_HALF && m > 1) {
      boolean[] kinds = base.clone();
      Parallel.forRange(m, 1, (from, to, who) -> bindAll(tables, kinds, from, to, half, c));
    } else {
      bindAll(tables, base, 0, m, half, c);
    }
    Arrays.fill(base, false);
  }

  /**
   * A product round's tables split by kind (the base-field ones first, then the extension ones),
   * and one pair's values walked along t ({@link #loadPair}, {@link #stepPair}): static methods on
   * the caller's arrays, so that the hot loops keep them in locals.
   */
  private static long[][][] splitByKind(long[][] tables, boolean[] base) {
    int nb = 0;
    for (boolean b : base) {
      nb += b ? 1 : 0;
    }
    long[][] bt = new long[nb][], kt = new long[tables.length - nb][];
    for (int j = 0, ib = 0, ik = 0; j < tables.length; j++) {
      if (base[j]) {
        bt[ib++] = tables[j];
      } else {
        kt[ik++] = tables[j];
      }
    }
    return new long[][][] {bt, kt};
  }

  /** The pair (2x, 2x + 1) of every table: values at t = 0 and their differences. */
  private static void loadPair(
      int x, long[][] bt, long[][] kt, long[] bv, long[] bd, long[] kv, long[] kd) {
    for (int j = 0; j < bt.length; j++) {
      long lo = bt[j][4 * x];
      bv[j] = lo;
      bd[j] = Goldilocks.sub(bt[j][4 * x + 2], lo);
    }
    for (int j = 0; j < kt.length; j++) {
      long[] t = kt[j];
      long lo0 = t[4 * x], lo1 = t[4 * x + 1];
      kv[2 * j] = lo0;
      kv[2 * j + 1] = lo1;
      kd[2 * j] = Goldilocks.sub(t[4 * x + 2], lo0);
      kd[2 * j + 1] = Goldilocks.sub(t[4 * x + 3], lo1);
    }
  }

  /**
   * Whether some table is 0 at both positions of the pair (2x, 2x + 1): then the product is 0 at
   * every t, and the pair adds nothing. The zeros a tensor's layout leaves between its channels and
   * after its last one (LeNet-5's 24×24 maps in strides of 1,024, six channels of eight) stay zero
   * through every fold, so later rounds skip them too.
   */
  private static boolean zeroPair(int x, long[][] bt, long[][] kt) {
    for (long[] t : bt) {
      if ((t[4 * x] | t[4 * x + 2]) == 0) {
        return true;
      }
    }
    for (long[] t : kt) {
      if ((t[4 * x] | t[4 * x + 1] | t[4 * x + 2] | t[4 * x + 3]) == 0) {
        return true;
      }
    }
    return false;
  }

  /** The values at t + 1. */
  private static void stepPair(long[] bv, long[] bd, long[] kv, long[] kd) {
    for (int j = 0; j < bv.length; j++) {
      bv[j] = Goldilocks.add(bv[j], bd[j]);
    }
    for (int j = 0; j < kv.length; j++) {
      kv[j] = Goldilocks.add(kv[j], kd[j]);
    }
  }

  /**
   * The sum-check of Σ_x scale·eq(r, x)·Π_j f_j(x) (a zero-check, or a product weighted by eq): the
   * same messages, point and final values as {@link #proveProductOf} on the tables (scale·eq(r, ·),
   * f_1, …, f_F), computed with eq factored out (Gruen 2024): round i's polynomial is s(t) =
   * scale·P·eq(r_i, t)·q(t), P = Π_{j<i} eq(r_j, c_j) and q(t) = Σ_{x'} eq(r_{>i}, x')·Π_j f_j(t,
   * x') of degree F. The prover sums q at t = 0, 2, …, F — q(1) follows from the round's claim s(0)
   * + s(1), which the first round sums instead — and extrapolates q(F + 1): F points of F factors
   * and one weight per pair where {@link #proveProductOf} sums F + 2 points of F + 1, and it folds
   * the F tables, not eq. Tables holding base-field values (a lifted witness vector) are multiplied
   * in the base field while they are. The tables are consumed (folded in place).
   *
   * @param r the point of eq, one coordinate per variable (the tables have 2^|r| values each)
   * @param scale a constant factor of the eq table (1 for a zero-check)
   */
  public static Proved proveEqProductOf(
      Transcript transcript, GoldilocksExt2[] r, GoldilocksExt2 scale, long[][] factors) {
    int n = r.length;
    int f = factors.length;
    if (f == 0) {
      throw new IllegalArgumentException("an eq-weighted product needs at least one factor");
    }
    for (long[] t : factors) {
      if (t.length != 2 << n) {
        throw new IllegalArgumentException(
            "an eq-weighted product over " + n + " variables needs tables of 2^" + n + " values");
      }
    }
    boolean[] base = new boolean[f];
    for (int j = 0; j < f; j++) {
      base[j] = isBase(factors[j]);
    }
    long[][] weights = Multilinear.eqSuffixTables(r);
    long[][] rounds = new long[n][];
    GoldilocksExt2[] point = new GoldilocksExt2[n];
    GoldilocksExt2 prefix = scale; // scale·Π_{j<i} eq(r_j, c_j)
    GoldilocksExt2 claim = null; // s_{i−1}(c_{i−1}): the round's s(0) + s(1)
    for (int round = 0; round < n; round++) {
      int half = 1 << (n - 1 - round);
      GoldilocksExt2 ri = r[round];
      // q(1) from the claim: s(0) + s(1) = P·((1 − r_i)·q(0) + r_i·q(1)); summed where P or r_i
      // is 0 (probability ≈ 2^-128 each) and in the first round, which has no claim
      boolean sumOne = claim == null || ri.isZero() || prefix.isZero();
      int[] at = new int[f + 1]; // the points summed, in slots 0..
      int points = 0;
      for (int t = 0; t <= f; t++) {
        if (t != 1 || sumOne) {
          at[points++] = t;
        }
      }
      int[] ts = Arrays.copyOf(at, points);
      long[] w = weights[round];
      boolean[] kinds = base.clone();
      long[] sums;
      if (half < PARALLEL_HALF) {
        sums = new long[2 * points];
        eqProductSums(w, factors, kinds, ts, 0, half, sums);
      } else {
        sums =
            chunkedSums(
                half,
                2 * points,
                GENERIC_GRAIN,
                (from, to, out) -> eqProductSums(w, factors, kinds, ts, from, to, out));
      }
      long[] q = new long[2 * (f + 1)];
      for (int k = 0; k < points; k++) {
        q[2 * ts[k]] = sums[2 * k];
        q[2 * ts[k] + 1] = sums[2 * k + 1];
      }
      GoldilocksExt2 q0 = GoldilocksExt2.at(q, 0);
      if (!sumOne) {
        GoldilocksExt2 inner = claim.mul(prefix.inverse());
        inner.sub(GoldilocksExt2.ONE.sub(ri).mul(q0)).mul(ri.inverse()).store(q, 1);
      }
      GoldilocksExt2 qLast = interpolate(q, GoldilocksExt2.of(f + 1));
      long[] s = new long[2 * (f + 2)];
      for (int t = 0; t <= f + 1; t++) {
        // eq(r_i, t) = 1 − r_i − t + 2·r_i·t
        GoldilocksExt2 e =
            GoldilocksExt2.ONE.sub(ri).add(ri.mulBase(2 * t).sub(GoldilocksExt2.of(t)));
        GoldilocksExt2 qt = t <= f ? GoldilocksExt2.at(q, t) : qLast;
        prefix.mul(e).mul(qt).store(s, t);
      }
      rounds[round] = s;
      transcript.absorbLongs("sumcheck/round", s);
      GoldilocksExt2 c = transcript.challengeExt("sumcheck/challenge");
      point[round] = c;
      claim = interpolate(s, c);
      GoldilocksExt2 rc = ri.mul(c);
      prefix = prefix.mul(GoldilocksExt2.ONE.sub(ri).sub(c).add(rc).add(rc));
      bindTables(factors, base, half, c);
    }
    GoldilocksExt2[] finals = new GoldilocksExt2[f + 1];
    finals[0] = prefix;
    for (int j = 0; j < f; j++) {
      finals[j + 1] = GoldilocksExt2.at(factors[j], 0);
    }
    return new Proved(new SumCheckProof(rounds), point, finals);
  }

  /**
   * Σ_{x in [from, to)} w[x]·Π_j f_j(t, x) at each t of {@code ts}, f_j(t, x) = f_j(2x) + t·(f_j(2x
   * + 1) − f_j(2x)), into out (interleaved K, one value per t): the base tables' product in the
   * base field, the weight's multiplication in lazy form, reduced once per {@link
   * GoldilocksExt2#LAZY_BLOCK} pairs.
   */
  private static void eqProductSums(
      long[] w, long[][] tables, boolean[] base, int[] ts, int from, int to, long[] out) {
    for (int start = from; start < to; start += GoldilocksExt2.LAZY_BLOCK) {
      eqProductSumsBlock(
          w, tables, base, ts, start, Math.min(to, start + GoldilocksExt2.LAZY_BLOCK), out);
    }
  }

  private static void eqProductSumsBlock(
      long[] w, long[][] tables, boolean[] base, int[] ts, int from, int to, long[] out) {
    long[][][] kinds = splitByKind(tables, base);
    long[][] bt = kinds[0], kt = kinds[1];
    int nb = bt.length, nk = kt.length;
    long[] bv = new long[nb], bd = new long[nb], kv = new long[2 * nk], kd = new long[2 * nk];
    int points = ts.length;
    int last = ts[points - 1];
    long[] lazy = new long[4 * points];
    for (int x = from; x < to; x++) {
      if (zeroPair(x, bt, kt)) {
        continue; // a factor zero at both ends: the pair adds 0 at every t (a layout's padding)
      }
      loadPair(x, bt, kt, bv, bd, kv, kd);
      long w0 = w[2 * x], w1 = w[2 * x + 1];
      for (int t = 0, k = 0; t <= last; t++) {
        if (t > 0) {
          stepPair(bv, bd, kv, kd);
        }
        if (ts[k] != t) {
          continue;
        }
        int o = 4 * k++;
        // the base factors' product in the base field, then the extension ones'; the weight's
        // multiplication left in lazy form
        long a0, a1;
        if (nb > 0) {
          a0 = bv[0];
          for (int j = 1; j < nb; j++) {
            a0 = Goldilocks.mul(a0, bv[j]);
          }
          if (nk == 0) {
            lazy[o] += Goldilocks.lazyLow(a0, w0);
            lazy[o + 1] += Goldilocks.lazyHigh(a0, w0);
            lazy[o + 2] += Goldilocks.lazyLow(a0, w1);
            lazy[o + 3] += Goldilocks.lazyHigh(a0, w1);
            continue;
          }
          a1 = Goldilocks.mul(a0, kv[1]);
          a0 = Goldilocks.mul(a0, kv[0]);
        } else {
          a0 = kv[0];
          a1 = kv[1];
        }
        for (int j = 1; j < nk; j++) {
          long b0 = kv[2 * j], b1 = kv[2 * j + 1];
          long n0 = GoldilocksExt2.mul0(a0, a1, b0, b1);
          a1 = GoldilocksExt2.mul1(a0, a1, b0, b1);
          a0 = n0;
        }
        lazy[o] += GoldilocksExt2.lazyLow0(a0, a1, w0, w1);
        lazy[o + 1] += GoldilocksExt2.lazyHigh0(a0, a1, w0, w1);
        lazy[o + 2] += GoldilocksExt2.lazyLow1(a0, a1, w0, w1);
        lazy[o + 3] += GoldilocksExt2.lazyHigh1(a0, a1, w0, w1);
      }
    }
    for (int k = 0; k < points; k++) {
      int o = 4 * k;
      out[2 * k] = Goldilocks.add(out[2 * k], Goldilocks.settle(lazy[o], lazy[o + 1]));
      out[2 * k + 1] = Goldilocks.add(out[2 * k + 1], Goldilocks.settle(lazy[o + 2], lazy[o + 3]));
    }
  }

  /** Σ_{x in [from, to)} g at t = 0..d of the pairs (2x, 2x + 1) into out. */
  private static void genericSums(
      SumCheckPolynomial g, long[][] tables, int from, int to, long[] out) {
    int m = tables.length;
    int d = g.degree();
    long[] values = new long[2 * m];
    long[] diffs = new long[2 * m];
    long[] v = new long[2];
    for (int x = from; x < to; x++) {
      loadPair(x, NO_TABLES, tables, NO_VALUES, NO_VALUES, values, diffs);
      for (int e = 0; e <= d; e++) {
        if (e > 0) {
          stepPair(NO_VALUES, NO_VALUES, values, diffs);
        }
        g.evaluate(values, v);
        out[2 * e] = Goldilocks.add(out[2 * e], v[0]);
        out[2 * e + 1] = Goldilocks.add(out[2 * e + 1], v[1]);
      }
    }
  }

  /** No base tables: the generic prover walks every table's pair as extension values. */
  private static final long[][] NO_TABLES = new long[0][];

  private static final long[] NO_VALUES = new long[0];

  private static void bindRange(long[][] tables, int from, int to, int half, GoldilocksExt2 c) {
    for (int j = from; j < to; j++) {
      Multilinear.bindLowest(tables[j], half, c);
    }
  }

  /** Whether every X-coordinate of an interleaved K table is 0. */
  private static boolean isBase(long[] t) {
    for (int i = 1; i < t.length; i += 2) {
      if (t[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static void bindAll(
      long[][] tables, boolean[] base, int from, int to, int half, GoldilocksExt2 c) {
    for (int j = from; j < to; j++) {
      if (base[j]) {
        bindLowestBase(tables[j], half, c);
      } else {
        Multilinear.bindLowest(tables[j], half, c);
      }
    }
  }

  /** {@link Multilinear#bindLowest} for a table whose X-coordinates are all 0. */
  private static void bindLowestBase(long[] t, int half, GoldilocksExt2 c) {
    long c0 = c.c0(), c1 = c.c1();
    for (int x = 0; x < half; x++) {
      long lo = t[4 * x], hi = t[4 * x + 2];
      if ((lo | hi) == 0) {
        t[2 * x] = 0; // a zero pair folds to zero (a tensor layout's padding): no products
        t[2 * x + 1] = 0;
        continue;
      }
      long d = Goldilocks.sub(hi, lo);
      t[2 * x] = Goldilocks.mulAdd(lo, d, c0);
      t[2 * x + 1] = Goldilocks.mul(d, c1);
    }
  }

  /**
   * Σ_{x in [from, to)} Π_j (t_j(2x) + e·(t_j(2x + 1) − t_j(2x))) for e = 0..m into out: the base
   * tables' product in the base field first, then the extension ones; in blocks of at most {@link
   * GoldilocksExt2#LAZY_BLOCK} pairs (see {@link #productOfSumsBlock}).
   */
  private static void productOfSums(long[][] tables, boolean[] base, int from, int to, long[] out) {
    for (int start = from; start < to; start += GoldilocksExt2.LAZY_BLOCK) {
      productOfSumsBlock(tables, base, start, Math.min(to, start + GoldilocksExt2.LAZY_BLOCK), out);
    }
  }

  /**
   * {@link #productOfSums} over at most {@link GoldilocksExt2#LAZY_BLOCK} pairs, added to out.
   * Every factor but the last is multiplied in as before; the last multiplication is left in lazy
   * form ({@link Goldilocks#lazyLow}, {@link GoldilocksExt2#lazyLow0}) and summed so, each sum
   * reduced once at the end of the block.
   */
  private static void productOfSumsBlock(
      long[][] tables, boolean[] base, int from, int to, long[] out) {
    int m = tables.length;
    long[][][] kinds = splitByKind(tables, base);
    long[][] bt = kinds[0], kt = kinds[1];
    int nb = bt.length, nk = kt.length;
    long[] bv = new long[nb], bd = new long[nb], kv = new long[2 * nk], kd = new long[2 * nk];
    // per e: the real part's low and high lazy sums, then the X-part's
    long[] lazy = new long[4 * (m + 1)];
    for (int x = from; x < to; x++) {
      if (zeroPair(x, bt, kt)) {
        continue; // a factor zero at both ends: the pair adds 0 at every t (a layout's padding)
      }
      loadPair(x, bt, kt, bv, bd, kv, kd);
      for (int e = 0; e <= m; e++) {
        if (e > 0) {
          stepPair(bv, bd, kv, kd);
        }
        int at = 4 * e;
        if (nk == 0) {
          // base tables only: Π_{j < nb−1} reduced, times the last one lazily
          long pb = bv[0];
          for (int j = 1; j < nb - 1; j++) {
            pb = Goldilocks.mul(pb, bv[j]);
          }
          if (nb == 1) {
            lazy[at] += pb & 0xFFFF_FFFFL;
            lazy[at + 1] += pb >>> 32;
          } else {
            lazy[at] += Goldilocks.lazyLow(pb, bv[nb - 1]);
            lazy[at + 1] += Goldilocks.lazyHigh(pb, bv[nb - 1]);
          }
          continue;
        }
        // the product a of every factor but the last extension one, reduced (one = a is 1)
        long a0 = 1, a1 = 0;
        boolean one = true;
        if (nb > 0) {
          long pb = bv[0];
          for (int j = 1; j < nb; j++) {
            pb = Goldilocks.mul(pb, bv[j]);
          }
          a0 = pb;
          one = false;
        }
        if (nk > 1) {
          if (one) {
            a0 = kv[0];
            a1 = kv[1];
            one = false;
          } else {
            a1 = Goldilocks.mul(kv[1], a0);
            a0 = Goldilocks.mul(kv[0], a0);
          }
          for (int j = 1; j < nk - 1; j++) {
            long b0 = kv[2 * j], b1 = kv[2 * j + 1];
            long n0 = GoldilocksExt2.mul0(a0, a1, b0, b1);
            a1 = GoldilocksExt2.mul1(a0, a1, b0, b1);
            a0 = n0;
          }
        }
        long b0 = kv[2 * nk - 2], b1 = kv[2 * nk - 1];
        if (one) {
          // a single extension table: its value itself, split at bit 32
          lazy[at] += b0 & 0xFFFF_FFFFL;
          lazy[at + 1] += b0 >>> 32;
          lazy[at + 2] += b1 & 0xFFFF_FFFFL;
          lazy[at + 3] += b1 >>> 32;
        } else if (nk == 1) {
          // a base product times the one extension table
          lazy[at] += Goldilocks.lazyLow(b0, a0);
          lazy[at + 1] += Goldilocks.lazyHigh(b0, a0);
          lazy[at + 2] += Goldilocks.lazyLow(b1, a0);
          lazy[at + 3] += Goldilocks.lazyHigh(b1, a0);
        } else {
          lazy[at] += GoldilocksExt2.lazyLow0(a0, a1, b0, b1);
          lazy[at + 1] += GoldilocksExt2.lazyHigh0(a0, a1, b0, b1);
          lazy[at + 2] += GoldilocksExt2.lazyLow1(a0, a1, b0, b1);
          lazy[at + 3] += GoldilocksExt2.lazyHigh1(a0, a1, b0, b1);
        }
      }
    }
    for (int e = 0; e <= m; e++) {
      int at = 4 * e;
      out[2 * e] = Goldilocks.add(out[2 * e], Goldilocks.settle(lazy[at], lazy[at + 1]));
      out[2 * e + 1] =
          Goldilocks.add(out[2 * e + 1], Goldilocks.settle(lazy[at + 2], lazy[at + 3]));
    }
  }

  /**
   * The degree-2 sum-check of Σ_x f(x)·g(x), specialized: the same messages as {@link #prove} with
   * {@link SumCheckPolynomial#product}(2), three extension multiplications per pair and no
   * dispatch. The tables (interleaved K vectors of equal power-of-two length) are folded in place.
   */
  public static Proved proveProduct(Transcript transcript, long[] f, long[] g) {
    int size = f.length / 2;
    int n = Integer.numberOfTrailingZeros(size);
    if (g.length != f.length || size != 1 << n) {
      throw new IllegalArgumentException("product sum-check needs two tables of equal 2^n length");
    }
    return drive(
        transcript,
        n,
        half -> {
          if (half < PARALLEL_HALF) {
            long[] s = new long[6];
            productSums(f, g, 0, half, s);
            return s;
          }
          return chunkedSums(
              half, 6, PRODUCT_GRAIN, (from, to, out) -> productSums(f, g, from, to, out));
        },
        (half, c) -> {
          if (half >= PARALLEL_HALF) {
            Parallel.both(
                () -> Multilinear.bindLowest(f, half, c), () -> Multilinear.bindLowest(g, half, c));
          } else {
            Multilinear.bindLowest(f, half, c);
            Multilinear.bindLowest(g, half, c);
          }
        },
        () -> new GoldilocksExt2[] {GoldilocksExt2.at(f, 0), GoldilocksExt2.at(g, 0)});
  }

  /**
   * The degree-2 sum-check of Σ_p w_p·Σ_x c_p(x)·eq(z_p, x): claims c̃_p(z_p) on several tables at
   * different points, batched with weights w_p (the witness opening's points). The same messages as
   * {@link #prove} would send for that summand, computed with eq's product form: in round j, p's
   * part is h_p(t) = s_p·eq(z_pj, t)·L_p(t) with s_p = w_p·eq(z_p, ρ) over the bound variables and
   * L_p linear, L_p(t) = Σ_{x'} c_p(t, x')·eq(z_p,>j, x'). One multiplication per pair gives
   * L_p(0); L_p(1) follows from h_p(0) + h_p(1) = p's running claim (one inversion per table and
   * round); one more binds c_p; and the next eq table over the unbound variables is the sum of
   * adjacent entries of this one. The tables split over two cores and the result does not depend on
   * the split. The tables c_p (interleaved K vectors of one length 2^n, n = |z_p|) are folded in
   * place; {@link Proved#finalValues} holds c_p(ρ) and eq(z_p, ρ) for each p, in that order.
   *
   * @param claims c̃_p(z_p) for each p (the prover's own values; a wrong one makes a proof that
   *     does not verify)
   */
  public static Proved proveEqWeighted(
      Transcript transcript,
      long[][] c,
      GoldilocksExt2[][] z,
      GoldilocksExt2[] weights,
      GoldilocksExt2[] claims) {
    int pairs = c.length;
    if (z.length != pairs || weights.length != pairs || claims.length != pairs || pairs == 0) {
      throw new IllegalArgumentException("one point, weight and claim per table");
    }
    int size = c[0].length / 2;
    int n = Integer.numberOfTrailingZeros(size);
    for (int p = 0; p < pairs; p++) {
      if (c[p].length != 2 * size || size != 1 << n || z[p].length != n) {
        throw new IllegalArgumentException("tables of one length 2^n and points of n coordinates");
      }
    }
    long[][] rest = new long[pairs][];
    GoldilocksExt2[] eqBound = new GoldilocksExt2[pairs];
    GoldilocksExt2[] current = new GoldilocksExt2[pairs];
    for (int p = 0; p < pairs; p++) {
      rest[p] = n == 0 ? null : Multilinear.eqTable(java.util.Arrays.copyOfRange(z[p], 1, n));
      eqBound[p] = GoldilocksExt2.ONE;
      current[p] = weights[p].mul(claims[p]);
    }
    long[][] rounds = new long[n][];
    GoldilocksExt2[] point = new GoldilocksExt2[n];
    GoldilocksExt2[] low = new GoldilocksExt2[pairs], high = new GoldilocksExt2[pairs];
    for (int round = 0; round < n; round++) {
      int half = size >> 1;
      int j = round;
      Parallel.forRange(
          pairs,
          1,
          (from, to, who) ->
              eqWeightedHalves(
                  c, rest, z, weights, eqBound, current, j, from, to, half, low, high));
      long[] s = new long[6];
      for (int p = 0; p < pairs; p++) {
        GoldilocksExt2 scale = weights[p].mul(eqBound[p]);
        GoldilocksExt2 l = z[p][round];
        GoldilocksExt2 h0 = scale.mul(GoldilocksExt2.ONE.sub(l)).mul(low[p]);
        GoldilocksExt2 h1 = scale.mul(l).mul(high[p]);
        GoldilocksExt2 h2 =
            scale.mul(l.mulBase(3).sub(GoldilocksExt2.ONE)).mul(high[p].add(high[p]).sub(low[p]));
        GoldilocksExt2.at(s, 0).add(h0).store(s, 0);
        GoldilocksExt2.at(s, 1).add(h1).store(s, 1);
        GoldilocksExt2.at(s, 2).add(h2).store(s, 2);
      }
      rounds[round] = s;
      transcript.absorbLongs("sumcheck/round", s);
      GoldilocksExt2 ch = transcript.challengeExt("sumcheck/challenge");
      point[round] = ch;
      Parallel.forRange(pairs, 1, (from, to, who) -> bindEqWeighted(c, rest, from, to, half, ch));
      for (int p = 0; p < pairs; p++) {
        GoldilocksExt2 l = z[p][round];
        // eq(l, ch) = (1 − l)(1 − ch) + l·ch = 1 − l − ch + 2·l·ch
        GoldilocksExt2 lc = l.mul(ch);
        eqBound[p] = eqBound[p].mul(GoldilocksExt2.ONE.sub(l).sub(ch).add(lc).add(lc));
        // p's claim for the next round: s_p·eq(l, ch)·L_p(ch) = w_p·eqBound_p·L_p(ch)
        GoldilocksExt2 atCh = low[p].add(ch.mul(high[p].sub(low[p])));
        current[p] = weights[p].mul(eqBound[p]).mul(atCh);
      }
      size = half;
    }
    GoldilocksExt2[] finals = new GoldilocksExt2[2 * pairs];
    for (int p = 0; p < pairs; p++) {
      finals[2 * p] = GoldilocksExt2.at(c[p], 0);
      finals[2 * p + 1] = eqBound[p];
    }
    return new Proved(new SumCheckProof(rounds), point, finals);
  }

  /**
   * L_p(0) and L_p(1) of round j for tables [from, to): L_p(0) summed, L_p(1) from p's running
   * claim, h_p(0) + h_p(1) = s·(1 − l)·L(0) + s·l·L(1); summed directly where s·l is 0.
   */
  private static void eqWeightedHalves(
      long[][] c,
      long[][] rest,
      GoldilocksExt2[][] z,
      GoldilocksExt2[] w,
      GoldilocksExt2[] eqBound,
      GoldilocksExt2[] current,
      int j,
      int from,
      int to,
      int half,
      GoldilocksExt2[] low,
      GoldilocksExt2[] high) {
    for (int p = from; p < to; p++) {
      long[] t = c[p], e = rest[p];
      GoldilocksExt2 scale = w[p].mul(eqBound[p]);
      GoldilocksExt2 l = z[p][j];
      GoldilocksExt2 sl = scale.mul(l);
      low[p] = halfInnerProduct(t, 0, e, half);
      if (sl.isZero()) {
        high[p] = halfInnerProduct(t, 1, e, half);
      } else {
        GoldilocksExt2 h0 = scale.mul(GoldilocksExt2.ONE.sub(l)).mul(low[p]);
        high[p] = current[p].sub(h0).mul(sl.inverse());
      }
    }
  }

  /**
   * Σ_{x &lt; half} t[2x + side]·e[x] for interleaved K vectors t and e: one half of a table's
   * pairs against an eq table, summed in lazy form and reduced once per {@link
   * GoldilocksExt2#LAZY_BLOCK} terms.
   */
  private static GoldilocksExt2 halfInnerProduct(long[] t, int side, long[] e, int half) {
    long s0 = 0, s1 = 0;
    for (int from = 0; from < half; from += GoldilocksExt2.LAZY_BLOCK) {
      int to = Math.min(half, from + GoldilocksExt2.LAZY_BLOCK);
      long low0 = 0, high0 = 0, low1 = 0, high1 = 0;
      for (int x = from; x < to; x++) {
        long e0 = e[2 * x], e1 = e[2 * x + 1];
        long a0 = t[4 * x + 2 * side], a1 = t[4 * x + 2 * side + 1];
        low0 += GoldilocksExt2.lazyLow0(a0, a1, e0, e1);
        high0 += GoldilocksExt2.lazyHigh0(a0, a1, e0, e1);
        low1 += GoldilocksExt2.lazyLow1(a0, a1, e0, e1);
        high1 += GoldilocksExt2.lazyHigh1(a0, a1, e0, e1);
      }
      s0 = Goldilocks.add(s0, Goldilocks.settle(low0, high0));
      s1 = Goldilocks.add(s1, Goldilocks.settle(low1, high1));
    }
    return new GoldilocksExt2(s0, s1);
  }

  /** Binds c_p's lowest variable to ch; the eq table over the rest loses its lowest variable. */
  private static void bindEqWeighted(
      long[][] c, long[][] rest, int from, int to, int half, GoldilocksExt2 ch) {
    for (int p = from; p < to; p++) {
      Multilinear.bindLowest(c[p], half, ch);
      long[] e = rest[p];
      for (int x = 0; x < half / 2; x++) {
        e[2 * x] = Goldilocks.add(e[4 * x], e[4 * x + 2]);
        e[2 * x + 1] = Goldilocks.add(e[4 * x + 1], e[4 * x + 3]);
      }
    }
  }

  /** A sum over pairs [from, to) into {@code out} (added to it, or written when it is zeros). */
  @FunctionalInterface
  private interface RangeSum {
    void run(int from, int to, long[] out);
  }

  /**
   * Σ over pairs [0, half) of {@code sum}, in chunks that both cores pull from one counter: each
   * chunk into a fresh array added to its participant's accumulator, the two accumulators added at
   * the end. Field additions are exact, so the result is the same whoever ran which chunk.
   */
  private static long[] chunkedSums(int half, int width, int grain, RangeSum sum) {
    long[][] acc = new long[2][width];
    Parallel.forRange(
        half,
        grain,
        (from, to, who) -> {
          long[] part = new long[width];
          sum.run(from, to, part);
          long[] a = acc[who];
          for (int i = 0; i < width; i++) {
            a[i] = Goldilocks.add(a[i], part[i]);
          }
        });
    long[] total = acc[0];
    for (int i = 0; i < width; i++) {
      total[i] = Goldilocks.add(total[i], acc[1][i]);
    }
    return total;
  }

  /**
   * Pairs per chunk (tens of microseconds each): of a generic or product-of round (a product or an
   * evaluation per table and point), of a two-table product round (three products).
   */
  private static final int GENERIC_GRAIN = 512, PRODUCT_GRAIN = 2048;

  /** Below this many pairs per round a round runs on one core. */
  private static final int PARALLEL_HALF = 128;

  /**
   * s(0), s(1), s(2) of Σ f·g over pairs [from, to), interleaved into out[0..5]: the products
   * summed in lazy form ({@link GoldilocksExt2#lazyLow0}), reduced once per {@link
   * GoldilocksExt2#LAZY_BLOCK} pairs.
   */
  private static void productSums(long[] f, long[] g, int from, int to, long[] out) {
    for (int start = from; start < to; start += GoldilocksExt2.LAZY_BLOCK) {
      productSumsBlock(f, g, start, Math.min(to, start + GoldilocksExt2.LAZY_BLOCK), out);
    }
  }

  /** {@link #productSums} over at most {@link GoldilocksExt2#LAZY_BLOCK} pairs, added to out. */
  private static void productSumsBlock(long[] f, long[] g, int from, int to, long[] out) {
    long l00 = 0, h00 = 0, l01 = 0, h01 = 0;
    long l10 = 0, h10 = 0, l11 = 0, h11 = 0;
    long l20 = 0, h20 = 0, l21 = 0, h21 = 0;
    for (int x = from; x < to; x++) {
      int lo = 4 * x, hi = 4 * x + 2;
      long a0 = f[lo], a1 = f[lo + 1], b0 = g[lo], b1 = g[lo + 1];
      long c0 = f[hi], c1 = f[hi + 1], d0 = g[hi], d1 = g[hi + 1];
      if ((a0 | a1 | c0 | c1) == 0 || (b0 | b1 | d0 | d1) == 0) {
        continue; // a factor zero at both ends: the pair adds 0 at every t (a layout's padding)
      }
      l00 += GoldilocksExt2.lazyLow0(a0, a1, b0, b1);
      h00 += GoldilocksExt2.lazyHigh0(a0, a1, b0, b1);
      l01 += GoldilocksExt2.lazyLow1(a0, a1, b0, b1);
      h01 += GoldilocksExt2.lazyHigh1(a0, a1, b0, b1);
      l10 += GoldilocksExt2.lazyLow0(c0, c1, d0, d1);
      h10 += GoldilocksExt2.lazyHigh0(c0, c1, d0, d1);
      l11 += GoldilocksExt2.lazyLow1(c0, c1, d0, d1);
      h11 += GoldilocksExt2.lazyHigh1(c0, c1, d0, d1);
      // value at t = 2 is 2·hi − lo
      long e0 = Goldilocks.sub(Goldilocks.add(c0, c0), a0);
      long e1 = Goldilocks.sub(Goldilocks.add(c1, c1), a1);
      long k0 = Goldilocks.sub(Goldilocks.add(d0, d0), b0);
      long k1 = Goldilocks.sub(Goldilocks.add(d1, d1), b1);
      l20 += GoldilocksExt2.lazyLow0(e0, e1, k0, k1);
      h20 += GoldilocksExt2.lazyHigh0(e0, e1, k0, k1);
      l21 += GoldilocksExt2.lazyLow1(e0, e1, k0, k1);
      h21 += GoldilocksExt2.lazyHigh1(e0, e1, k0, k1);
    }
    out[0] = Goldilocks.add(out[0], Goldilocks.settle(l00, h00));
    out[1] = Goldilocks.add(out[1], Goldilocks.settle(l01, h01));
    out[2] = Goldilocks.add(out[2], Goldilocks.settle(l10, h10));
    out[3] = Goldilocks.add(out[3], Goldilocks.settle(l11, h11));
    out[4] = Goldilocks.add(out[4], Goldilocks.settle(l20, h20));
    out[5] = Goldilocks.add(out[5], Goldilocks.settle(l21, h21));
  }

  /**
   * Checks the rounds against the claimed sum and reduces it to one claim on g at a random point.
   *
   * @throws InvalidProofException if a round's shape is wrong or s(0) + s(1) misses the claim
   */
  public static Reduced verify(
      Transcript transcript, int degree, int variables, GoldilocksExt2 claim, SumCheckProof proof) {
    if (proof.roundCount() != variables) {
      throw new InvalidProofException(
          "sum-check has " + proof.roundCount() + " rounds, expected " + variables);
    }
    GoldilocksExt2[] point = new GoldilocksExt2[variables];
    GoldilocksExt2 current = claim;
    for (int round = 0; round < variables; round++) {
      long[] s = proof.round(round);
      if (s.length != 2 * (degree + 1)) {
        throw new InvalidProofException(
            "sum-check round "
                + round
                + " has "
                + s.length / 2
                + " evaluations, expected "
                + (degree + 1));
      }
      GoldilocksExt2 s0 = GoldilocksExt2.at(s, 0), s1 = GoldilocksExt2.at(s, 1);
      if (!s0.add(s1).equals(current)) {
        throw new InvalidProofException(
            "sum-check round " + round + ": s(0) + s(1) does not match the claim");
      }
      transcript.absorbLongs("sumcheck/round", s);
      GoldilocksExt2 c = transcript.challengeExt("sumcheck/challenge");
      point[round] = c;
      current = interpolate(s, c);
    }
    return new Reduced(point, current);
  }

  /**
   * 1/Π_{j≠i}(i − j) for nodes 0..d, per degree d: the degrees in use are small (2, 3, a max-pool's
   * K + 1, a softmax zero-check's L + 1 ≤ 129), so they are cached up to 255.
   */
  private static final long[][] LAGRANGE_DENOMINATORS = new long[256][];

  private static long[] lagrangeDenominators(int d) {
    if (d >= LAGRANGE_DENOMINATORS.length) {
      return computeDenominators(d);
    }
    long[] cached = LAGRANGE_DENOMINATORS[d];
    if (cached == null) {
      cached = computeDenominators(d);
      LAGRANGE_DENOMINATORS[d] = cached; // idempotent: a racing thread writes the same values
    }
    return cached;
  }

  private static long[] computeDenominators(int d) {
    long[] inv = new long[d + 1];
    for (int i = 0; i <= d; i++) {
      long den = 1;
      for (int j = 0; j <= d; j++) {
        if (j != i) {
          den = Goldilocks.mul(den, Goldilocks.fromSigned(i - j));
        }
      }
      inv[i] = Goldilocks.inverse(den);
    }
    return inv;
  }

  /**
   * s(c) for the polynomial of degree d given by its values s(0..d) (Lagrange form), in O(d): the
   * numerator Π_{j≠i}(c − j) of node i is the product of the prefix Π_{j<i}(c − j) and the suffix
   * Π_{j>i}(c − j), both running products, so 3 products in K per node instead of d.
   */
  public static GoldilocksExt2 interpolate(long[] s, GoldilocksExt2 c) {
    int d = s.length / 2 - 1;
    long[] inv = lagrangeDenominators(d);
    long c0 = c.c0(), c1 = c.c1();
    // suffix[i] = Π_{j>i}(c − j), interleaved
    long[] suffix = new long[2 * (d + 1)];
    long p0 = 1, p1 = 0;
    for (int i = d; i >= 0; i--) {
      suffix[2 * i] = p0;
      suffix[2 * i + 1] = p1;
      long a0 = Goldilocks.sub(c0, i);
      long n0 = GoldilocksExt2.mul0(p0, p1, a0, c1), n1 = GoldilocksExt2.mul1(p0, p1, a0, c1);
      p0 = n0;
      p1 = n1;
    }
    long r0 = 0, r1 = 0;
    long q0 = 1, q1 = 0; // prefix Π_{j<i}(c − j)
    for (int i = 0; i <= d; i++) {
      long w0 = Goldilocks.mul(s[2 * i], inv[i]), w1 = Goldilocks.mul(s[2 * i + 1], inv[i]);
      long t0 = GoldilocksExt2.mul0(q0, q1, suffix[2 * i], suffix[2 * i + 1]);
      long t1 = GoldilocksExt2.mul1(q0, q1, suffix[2 * i], suffix[2 * i + 1]);
      r0 = Goldilocks.add(r0, GoldilocksExt2.mul0(w0, w1, t0, t1));
      r1 = Goldilocks.add(r1, GoldilocksExt2.mul1(w0, w1, t0, t1));
      long a0 = Goldilocks.sub(c0, i);
      long n0 = GoldilocksExt2.mul0(q0, q1, a0, c1), n1 = GoldilocksExt2.mul1(q0, q1, a0, c1);
      q0 = n0;
      q1 = n1;
    }
    return new GoldilocksExt2(r0, r1);
  }
}
