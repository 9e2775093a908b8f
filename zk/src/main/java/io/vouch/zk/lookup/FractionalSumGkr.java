package io.vouch.zk.lookup;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.exec.Parallel;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Multilinear;
import io.vouch.zk.sumcheck.SumCheck;
import io.vouch.zk.sumcheck.SumCheckPolynomial;
import io.vouch.zk.sumcheck.SumCheckProof;
import io.vouch.zk.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;

/**
 * The fractional-sum GKR of LogUp: proves Σ_x p(x)/q(x) = P/Q over 2^n leaves without the verifier
 * touching the leaves.
 *
 * <p>Layer k (2^k fractions) adds the two halves of layer k + 1 pairwise: p_k(x) = p(x)·q(x + 2^k)
 * + p(x + 2^k)·q(x), q_k(x) = q(x)·q(x + 2^k). Going from the root down, a claim on (p̃_k, q̃_k) at
 * r becomes, by one degree-3 sum-check of eq(r, x)·(p_L q_R + p_R q_L + λ q_L q_R), a claim on the
 * four half-tables at a point r'; a challenge μ folds them into one claim on layer k + 1 at (r',
 * μ). After n layers the caller is left with claims p̃(ρ), q̃(ρ) on the leaves.
 *
 * <p>Soundness: each layer errs with probability ≤ (3k + 2)/|K| (sum-check, λ and μ), in total
 * below 2n^2/|K| ≈ 2^-119 for n ≤ 32.
 */
public final class FractionalSumGkr {
  private FractionalSumGkr() {}

  /** One layer: its sum-check and the four half-table values (pL, pR, qL, qR) at its end point. */
  public record Layer(SumCheckProof sumCheck, GoldilocksExt2[] children) {}

  public record Proof(GoldilocksExt2 numerator, GoldilocksExt2 denominator, List<Layer> layers) {
    public Proof {
      layers = List.copyOf(layers);
    }
  }

  public record Proved(Proof proof, GoldilocksExt2[] leafPoint) {}

  /** What the verifier is left to check on the leaves. */
  public record LeafClaim(
      GoldilocksExt2 rootNumerator,
      GoldilocksExt2 rootDenominator,
      GoldilocksExt2[] point,
      GoldilocksExt2 numerator,
      GoldilocksExt2 denominator) {}

  /**
   * Proves Σ_x 1/q(x) (every leaf numerator is 1) for an interleaved K vector q of length 2^n: the
   * same proof as {@link #prove(Transcript, long[], long[])} with p ≡ 1, cheaper because the leaf
   * layer's numerators need no arithmetic.
   */
  public static Proved proveUnitNumerators(Transcript transcript, long[] q) {
    int n = Integer.numberOfTrailingZeros(q.length / 2);
    if (q.length / 2 != 1 << n || n == 0) {
      throw new IllegalArgumentException("GKR needs at least two leaves, a power-of-two count");
    }
    int h = 1 << (n - 1);
    long[] pn = new long[2 * h], qn = new long[2 * h];
    if (h >= PARALLEL_HALF) {
      Parallel.both(
          () -> addUnitPairs(q, pn, qn, h, 0, h / 2), () -> addUnitPairs(q, pn, qn, h, h / 2, h));
    } else {
      addUnitPairs(q, pn, qn, h, 0, h);
    }
    return prove(transcript, pn, qn, q);
  }

  /** p/q of layer nodes [from, to): pL/qL + pR/qR = (pL·qR + pR·qL)/(qL·qR), children x, x + h. */
  private static void addPairs(
      long[] pc, long[] qc, long[] pn, long[] qn, int h, int from, int to) {
    for (int x = from; x < to; x++) {
      int l = 2 * x, r = 2 * (x + h);
      long a0 = GoldilocksExt2.mul0(pc[l], pc[l + 1], qc[r], qc[r + 1]);
      long a1 = GoldilocksExt2.mul1(pc[l], pc[l + 1], qc[r], qc[r + 1]);
      long b0 = GoldilocksExt2.mul0(pc[r], pc[r + 1], qc[l], qc[l + 1]);
      long b1 = GoldilocksExt2.mul1(pc[r], pc[r + 1], qc[l], qc[l + 1]);
      pn[2 * x] = Goldilocks.add(a0, b0);
      pn[2 * x + 1] = Goldilocks.add(a1, b1);
      qn[2 * x] = GoldilocksExt2.mul0(qc[l], qc[l + 1], qc[r], qc[r + 1]);
      qn[2 * x + 1] = GoldilocksExt2.mul1(qc[l], qc[l + 1], qc[r], qc[r + 1]);
    }
  }

  /** {@link #addPairs} for unit numerators: 1/qL + 1/qR = (qL + qR)/(qL·qR). */
  private static void addUnitPairs(long[] q, long[] pn, long[] qn, int h, int from, int to) {
    for (int x = from; x < to; x++) {
      int l = 2 * x, r = 2 * (x + h);
      pn[2 * x] = Goldilocks.add(q[l], q[r]);
      pn[2 * x + 1] = Goldilocks.add(q[l + 1], q[r + 1]);
      qn[2 * x] = GoldilocksExt2.mul0(q[l], q[l + 1], q[r], q[r + 1]);
      qn[2 * x + 1] = GoldilocksExt2.mul1(q[l], q[l + 1], q[r], q[r + 1]);
    }
  }

  /** Proves the sum of p/q for interleaved K vectors of length 2^n. */
  public static Proved prove(Transcript transcript, long[] p, long[] q) {
    int n = Integer.numberOfTrailingZeros(p.length / 2);
    if (p.length != q.length || p.length / 2 != 1 << n) {
      throw new IllegalArgumentException(
          "GKR leaves must be two vectors of equal power-of-two length");
    }
    return prove(transcript, p, q, null);
  }

  /**
   * The layers above {@code (p, q)}; if {@code unitLeaves} is given, (p, q) is the layer above
   * those leaves, whose numerators are all 1.
   */
  private static Proved prove(Transcript transcript, long[] p, long[] q, long[] unitLeaves) {
    int top = Integer.numberOfTrailingZeros(p.length / 2);
    int n = unitLeaves == null ? top : top + 1;
    long[][] ps = new long[n + 1][];
    long[][] qs = new long[n + 1][];
    ps[top] = p;
    qs[top] = q;
    qs[n] = unitLeaves == null ? q : unitLeaves;
    for (int k = top - 1; k >= 0; k--) {
      int h = 1 << k;
      long[] pc = ps[k + 1], qc = qs[k + 1];
      long[] pn = new long[2 * h], qn = new long[2 * h];
      if (h >= PARALLEL_HALF) {
        Parallel.both(
            () -> addPairs(pc, qc, pn, qn, h, 0, h / 2),
            () -> addPairs(pc, qc, pn, qn, h, h / 2, h));
      } else {
        addPairs(pc, qc, pn, qn, h, 0, h);
      }
      ps[k] = pn;
      qs[k] = qn;
    }
    GoldilocksExt2 rootP = GoldilocksExt2.at(ps[0], 0), rootQ = GoldilocksExt2.at(qs[0], 0);
    transcript.absorbLongs("gkr/root", new long[] {rootP.c0(), rootP.c1(), rootQ.c0(), rootQ.c1()});
    GoldilocksExt2[] point = new GoldilocksExt2[0];
    GoldilocksExt2 claimP = rootP, claimQ = rootQ;
    List<Layer> layers = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int h = 1 << k;
      GoldilocksExt2 lambda = transcript.challengeExt("gkr/lambda");
      long[] qc = qs[k + 1];
      SumCheck.Proved proved;
      if (k + 1 == n && unitLeaves != null) {
        proved =
            proveUnitLayer(
                transcript,
                lambda,
                claimP.add(lambda.mul(claimQ)),
                point,
                java.util.Arrays.copyOfRange(qc, 0, 2 * h),
                java.util.Arrays.copyOfRange(qc, 2 * h, 4 * h));
      } else {
        long[] pc = ps[k + 1];
        proved =
            proveLayer(
                transcript,
                lambda,
                claimP.add(lambda.mul(claimQ)),
                point,
                java.util.Arrays.copyOfRange(pc, 0, 2 * h),
                java.util.Arrays.copyOfRange(pc, 2 * h, 4 * h),
                java.util.Arrays.copyOfRange(qc, 0, 2 * h),
                java.util.Arrays.copyOfRange(qc, 2 * h, 4 * h));
      }
      GoldilocksExt2[] children = java.util.Arrays.copyOfRange(proved.finalValues(), 1, 5);
      absorbChildren(transcript, children);
      GoldilocksExt2 mu = transcript.challengeExt("gkr/mu");
      point = append(proved.point(), mu);
      claimP = children[0].add(mu.mul(children[1].sub(children[0])));
      claimQ = children[2].add(mu.mul(children[3].sub(children[2])));
      layers.add(new Layer(proved.proof(), children));
    }
    return new Proved(new Proof(rootP, rootQ, layers), point);
  }

  /**
   * Replays the layers and returns the claims left on the leaves.
   *
   * @throws InvalidProofException if a layer does not reduce correctly
   */
  public static LeafClaim verify(Transcript transcript, int leafVariables, Proof proof) {
    if (proof.layers().size() != leafVariables) {
      throw new InvalidProofException(
          "lookup GKR has " + proof.layers().size() + " layers, expected " + leafVariables);
    }
    GoldilocksExt2 rootP = proof.numerator(), rootQ = proof.denominator();
    transcript.absorbLongs("gkr/root", new long[] {rootP.c0(), rootP.c1(), rootQ.c0(), rootQ.c1()});
    GoldilocksExt2 claimP = rootP, claimQ = rootQ;
    GoldilocksExt2[] point = new GoldilocksExt2[0];
    for (int k = 0; k < leafVariables; k++) {
      Layer layer = proof.layers().get(k);
      if (layer.children().length != 4) {
        throw new InvalidProofException("lookup GKR layer " + k + " needs 4 child values");
      }
      GoldilocksExt2 lambda = transcript.challengeExt("gkr/lambda");
      SumCheck.Reduced reduced =
          SumCheck.verify(transcript, 3, k, claimP.add(lambda.mul(claimQ)), layer.sumCheck());
      GoldilocksExt2[] c = layer.children();
      GoldilocksExt2 expected =
          Multilinear.eq(point, reduced.point())
              .mul(c[0].mul(c[3]).add(c[1].mul(c[2])).add(lambda.mul(c[2]).mul(c[3])));
      if (!expected.equals(reduced.claim())) {
        throw new InvalidProofException(
            "lookup GKR layer " + k + ": children do not match the sum-check");
      }
      absorbChildren(transcript, c);
      GoldilocksExt2 mu = transcript.challengeExt("gkr/mu");
      claimP = c[0].add(mu.mul(c[1].sub(c[0])));
      claimQ = c[2].add(mu.mul(c[3].sub(c[2])));
      point = append(reduced.point(), mu);
    }
    return new LeafClaim(rootP, rootQ, point, claimP, claimQ);
  }

  /**
   * The layer sum-check of Σ_x eq(r, x)·(pL qR + pR qL + λ qL qR), specialized; it sends the same
   * messages as {@link SumCheck#prove} with {@link #layerPolynomial} (a test checks this).
   *
   * <p>Round i factors eq as eq(r_{&lt;i}, c_{&lt;i}) · eq(r_i, t) · eq(r_{&gt;i}, x') (Gruen), so
   * only the inner sum h(t) = Σ_x' eq(r_{&gt;i}, x')·F_t(x') of degree 2 is computed: at t = 0 and
   * t = 2 directly, at t = 1 from the running claim (s(0) + s(1) = claim), and s(t) = eq-prefix ·
   * eq(r_i, t) · h(t). F = pL·qR + qL·(pR + λ·qR) costs three multiplications.
   */
  static SumCheck.Proved proveLayer(
      Transcript transcript,
      GoldilocksExt2 lambda,
      GoldilocksExt2 claim,
      GoldilocksExt2[] r,
      long[] pl,
      long[] pr,
      long[] ql,
      long[] qr) {
    return proveLayerSumCheck(transcript, lambda, claim, r, pl, pr, ql, qr);
  }

  /** {@link #proveLayer} for pL = pR ≡ 1 (the layer right above unit-numerator leaves). */
  static SumCheck.Proved proveUnitLayer(
      Transcript transcript,
      GoldilocksExt2 lambda,
      GoldilocksExt2 claim,
      GoldilocksExt2[] r,
      long[] ql,
      long[] qr) {
    return proveLayerSumCheck(transcript, lambda, claim, r, null, null, ql, qr);
  }

  /** pl == null (and pr == null) means both numerator tables are all ones. */
  private static SumCheck.Proved proveLayerSumCheck(
      Transcript transcript,
      GoldilocksExt2 lambda,
      GoldilocksExt2 claim,
      GoldilocksExt2[] r,
      long[] pl,
      long[] pr,
      long[] ql,
      long[] qr) {
    int n = r.length;
    long[][] rounds = new long[n][];
    GoldilocksExt2[] point = new GoldilocksExt2[n];
    GoldilocksExt2 current = claim;
    GoldilocksExt2 prefix = GoldilocksExt2.ONE; // eq(r_<i, c_<i)
    int size = 1 << n;
    long[] h = new long[4];
    long[] previousSuffix = null;
    for (int round = 0; round < n; round++) {
      int half = size >> 1;
      // eq(r_{>i}, ·): from the previous round's table by pairwise sums, since eq(r_j, 0) +
      // eq(r_j, 1) = 1 sums out the variable r_{i} that this round binds
      long[] suffix =
          round == 0
              ? Multilinear.eqTable(java.util.Arrays.copyOfRange(r, 1, n))
              : sumOutLowest(previousSuffix);
      previousSuffix = suffix;
      if (half >= PARALLEL_HALF) {
        // two halves of the sum on two cores, added in a fixed order
        long[] other = new long[4];
        int mid = half / 2;
        Parallel.both(
            () -> sums(suffix, lambda, pl, pr, ql, qr, 0, mid, h),
            () -> sums(suffix, lambda, pl, pr, ql, qr, mid, half, other));
        for (int i = 0; i < 4; i++) {
          h[i] = Goldilocks.add(h[i], other[i]);
        }
      } else {
        sums(suffix, lambda, pl, pr, ql, qr, 0, half, h);
      }
      GoldilocksExt2 ri = r[round];
      GoldilocksExt2 h0 = new GoldilocksExt2(h[0], h[1]), h2 = new GoldilocksExt2(h[2], h[3]);
      // eq(r_i, t) = 1 − r_i − t + 2·r_i·t at t = 0, 1, 2, 3
      GoldilocksExt2 w0 = GoldilocksExt2.ONE.sub(ri);
      GoldilocksExt2 w2 = ri.mulBase(3).sub(GoldilocksExt2.ONE);
      GoldilocksExt2 w3 = ri.mulBase(5).sub(GoldilocksExt2.of(2));
      GoldilocksExt2 s0 = prefix.mul(w0).mul(h0);
      GoldilocksExt2 s1 = current.sub(s0);
      GoldilocksExt2 s2 = prefix.mul(w2).mul(h2);
      // h(1) = s(1) / (prefix·r_i); h has degree 2, so h(3) = h(0) − 3h(1) + 3h(2)
      GoldilocksExt2 scale = prefix.mul(ri);
      GoldilocksExt2 h3;
      if (!scale.isZero()) {
        GoldilocksExt2 h1 = s1.mul(scale.inverse());
        h3 = h0.sub(h1.mulBase(3)).add(h2.mulBase(3));
      } else {
        h3 = innerAt3(suffix, lambda, pl, pr, ql, qr, half); // probability ≈ 2^-128
      }
      GoldilocksExt2 s3 = prefix.mul(w3).mul(h3);
      long[] s = {s0.c0(), s0.c1(), s1.c0(), s1.c1(), s2.c0(), s2.c1(), s3.c0(), s3.c1()};
      rounds[round] = s;
      transcript.absorbLongs("sumcheck/round", s);
      GoldilocksExt2 c = transcript.challengeExt("sumcheck/challenge");
      point[round] = c;
      current = SumCheck.interpolate(s, c);
      GoldilocksExt2 rc = ri.mul(c);
      prefix = prefix.mul(GoldilocksExt2.ONE.sub(ri).sub(c).add(rc).add(rc));
      if (half < PARALLEL_HALF) {
        for (long[] table : pl == null ? new long[][] {ql, qr} : new long[][] {pl, pr, ql, qr}) {
          Multilinear.bindLowest(table, half, c);
        }
      } else if (pl == null) {
        // in-place folds cannot split a table between threads; split the tables instead
        Parallel.both(
            () -> Multilinear.bindLowest(ql, half, c), () -> Multilinear.bindLowest(qr, half, c));
      } else {
        Parallel.both(
            () -> {
              Multilinear.bindLowest(pl, half, c);
              Multilinear.bindLowest(pr, half, c);
            },
            () -> {
              Multilinear.bindLowest(ql, half, c);
              Multilinear.bindLowest(qr, half, c);
            });
      }
      size = half;
    }
    GoldilocksExt2[] finals = {
      prefix,
      pl == null ? GoldilocksExt2.ONE : GoldilocksExt2.at(pl, 0),
      pr == null ? GoldilocksExt2.ONE : GoldilocksExt2.at(pr, 0),
      GoldilocksExt2.at(ql, 0),
      GoldilocksExt2.at(qr, 0)
    };
    return new SumCheck.Proved(new SumCheckProof(rounds), point, finals);
  }

  /** t'[x] = t[2x] + t[2x + 1] for an interleaved K table: a table without its lowest variable. */
  private static long[] sumOutLowest(long[] t) {
    int half = t.length / 4;
    long[] out = new long[2 * half];
    for (int x = 0; x < half; x++) {
      out[2 * x] = Goldilocks.add(t[4 * x], t[4 * x + 2]);
      out[2 * x + 1] = Goldilocks.add(t[4 * x + 1], t[4 * x + 3]);
    }
    return out;
  }

  /** Below this many points per half a round runs on one core. */
  private static final int PARALLEL_HALF = 64;

  private static void sums(
      long[] suffix,
      GoldilocksExt2 lambda,
      long[] pl,
      long[] pr,
      long[] ql,
      long[] qr,
      int from,
      int to,
      long[] out) {
    if (pl == null) {
      unitInnerSums(suffix, lambda, ql, qr, from, to, out);
    } else {
      innerSums(suffix, lambda, pl, pr, ql, qr, from, to, out);
    }
  }

  /** h(0) and h(2) of one round into out[0..3], for general numerator tables. */
  private static void innerSums(
      long[] suffix,
      GoldilocksExt2 lambda,
      long[] pl,
      long[] pr,
      long[] ql,
      long[] qr,
      int from,
      int to,
      long[] out) {
    long l0 = lambda.c0(), l1 = lambda.c1();
    long h00 = 0, h01 = 0, h20 = 0, h21 = 0;
    for (int x = from; x < to; x++) {
      int lo = 4 * x, hi = 4 * x + 2;
      long e0 = suffix[2 * x], e1 = suffix[2 * x + 1];
      long a0 = pl[lo], a1 = pl[lo + 1], b0 = pr[lo], b1 = pr[lo + 1];
      long c0 = ql[lo], c1 = ql[lo + 1], d0 = qr[lo], d1 = qr[lo + 1];
      // t = 0
      long m0 = Goldilocks.add(b0, GoldilocksExt2.mul0(l0, l1, d0, d1));
      long m1 = Goldilocks.add(b1, GoldilocksExt2.mul1(l0, l1, d0, d1));
      long f0 =
          Goldilocks.add(GoldilocksExt2.mul0(a0, a1, d0, d1), GoldilocksExt2.mul0(c0, c1, m0, m1));
      long f1 =
          Goldilocks.add(GoldilocksExt2.mul1(a0, a1, d0, d1), GoldilocksExt2.mul1(c0, c1, m0, m1));
      h00 = Goldilocks.add(h00, GoldilocksExt2.mul0(e0, e1, f0, f1));
      h01 = Goldilocks.add(h01, GoldilocksExt2.mul1(e0, e1, f0, f1));
      // t = 2: 2·hi − lo
      a0 = Goldilocks.sub(Goldilocks.add(pl[hi], pl[hi]), a0);
      a1 = Goldilocks.sub(Goldilocks.add(pl[hi + 1], pl[hi + 1]), a1);
      b0 = Goldilocks.sub(Goldilocks.add(pr[hi], pr[hi]), b0);
      b1 = Goldilocks.sub(Goldilocks.add(pr[hi + 1], pr[hi + 1]), b1);
      c0 = Goldilocks.sub(Goldilocks.add(ql[hi], ql[hi]), c0);
      c1 = Goldilocks.sub(Goldilocks.add(ql[hi + 1], ql[hi + 1]), c1);
      d0 = Goldilocks.sub(Goldilocks.add(qr[hi], qr[hi]), d0);
      d1 = Goldilocks.sub(Goldilocks.add(qr[hi + 1], qr[hi + 1]), d1);
      m0 = Goldilocks.add(b0, GoldilocksExt2.mul0(l0, l1, d0, d1));
      m1 = Goldilocks.add(b1, GoldilocksExt2.mul1(l0, l1, d0, d1));
      f0 = Goldilocks.add(GoldilocksExt2.mul0(a0, a1, d0, d1), GoldilocksExt2.mul0(c0, c1, m0, m1));
      f1 = Goldilocks.add(GoldilocksExt2.mul1(a0, a1, d0, d1), GoldilocksExt2.mul1(c0, c1, m0, m1));
      h20 = Goldilocks.add(h20, GoldilocksExt2.mul0(e0, e1, f0, f1));
      h21 = Goldilocks.add(h21, GoldilocksExt2.mul1(e0, e1, f0, f1));
    }
    out[0] = h00;
    out[1] = h01;
    out[2] = h20;
    out[3] = h21;
  }

  /**
   * {@link #innerSums} with pL = pR ≡ 1: F = qR + qL·(1 + λ·qR), three multiplications per point
   * instead of four (a table of ones stays ones at t = 2 and after folding).
   */
  private static void unitInnerSums(
      long[] suffix, GoldilocksExt2 lambda, long[] ql, long[] qr, int from, int to, long[] out) {
    long l0 = lambda.c0(), l1 = lambda.c1();
    long h00 = 0, h01 = 0, h20 = 0, h21 = 0;
    for (int x = from; x < to; x++) {
      int lo = 4 * x, hi = 4 * x + 2;
      long e0 = suffix[2 * x], e1 = suffix[2 * x + 1];
      long c0 = ql[lo], c1 = ql[lo + 1], d0 = qr[lo], d1 = qr[lo + 1];
      // t = 0
      long m0 = Goldilocks.add(1, GoldilocksExt2.mul0(l0, l1, d0, d1));
      long m1 = GoldilocksExt2.mul1(l0, l1, d0, d1);
      long f0 = Goldilocks.add(d0, GoldilocksExt2.mul0(c0, c1, m0, m1));
      long f1 = Goldilocks.add(d1, GoldilocksExt2.mul1(c0, c1, m0, m1));
      h00 = Goldilocks.add(h00, GoldilocksExt2.mul0(e0, e1, f0, f1));
      h01 = Goldilocks.add(h01, GoldilocksExt2.mul1(e0, e1, f0, f1));
      // t = 2: 2·hi − lo
      c0 = Goldilocks.sub(Goldilocks.add(ql[hi], ql[hi]), c0);
      c1 = Goldilocks.sub(Goldilocks.add(ql[hi + 1], ql[hi + 1]), c1);
      d0 = Goldilocks.sub(Goldilocks.add(qr[hi], qr[hi]), d0);
      d1 = Goldilocks.sub(Goldilocks.add(qr[hi + 1], qr[hi + 1]), d1);
      m0 = Goldilocks.add(1, GoldilocksExt2.mul0(l0, l1, d0, d1));
      m1 = GoldilocksExt2.mul1(l0, l1, d0, d1);
      f0 = Goldilocks.add(d0, GoldilocksExt2.mul0(c0, c1, m0, m1));
      f1 = Goldilocks.add(d1, GoldilocksExt2.mul1(c0, c1, m0, m1));
      h20 = Goldilocks.add(h20, GoldilocksExt2.mul0(e0, e1, f0, f1));
      h21 = Goldilocks.add(h21, GoldilocksExt2.mul1(e0, e1, f0, f1));
    }
    out[0] = h00;
    out[1] = h01;
    out[2] = h20;
    out[3] = h21;
  }

  /** h(3) computed directly, for the case eq-prefix·r_i = 0 where h(1) cannot be divided out. */
  private static GoldilocksExt2 innerAt3(
      long[] suffix, GoldilocksExt2 lambda, long[] pl, long[] pr, long[] ql, long[] qr, int half) {
    GoldilocksExt2 h = GoldilocksExt2.ZERO;
    for (int x = 0; x < half; x++) {
      GoldilocksExt2 a = pl == null ? GoldilocksExt2.ONE : at3(pl, x);
      GoldilocksExt2 b = pr == null ? GoldilocksExt2.ONE : at3(pr, x);
      GoldilocksExt2 c = at3(ql, x), d = at3(qr, x);
      GoldilocksExt2 f = a.mul(d).add(c.mul(b.add(lambda.mul(d))));
      h = h.add(GoldilocksExt2.at(suffix, x).mul(f));
    }
    return h;
  }

  private static GoldilocksExt2 at3(long[] t, int x) {
    GoldilocksExt2 lo = GoldilocksExt2.at(t, 2 * x), hi = GoldilocksExt2.at(t, 2 * x + 1);
    return hi.mulBase(3).sub(lo.mulBase(2));
  }

  static SumCheckPolynomial layerPolynomial(GoldilocksExt2 lambda) {
    long l0 = lambda.c0(), l1 = lambda.c1();
    return new SumCheckPolynomial() {
      @Override
      public int degree() {
        return 3;
      }

      @Override
      public void evaluate(long[] v, long[] out) {
        // v: eq, pL, pR, qL, qR
        long qq0 = GoldilocksExt2.mul0(v[6], v[7], v[8], v[9]);
        long qq1 = GoldilocksExt2.mul1(v[6], v[7], v[8], v[9]);
        long s0 =
            Goldilocks.add(
                Goldilocks.add(
                    GoldilocksExt2.mul0(v[2], v[3], v[8], v[9]),
                    GoldilocksExt2.mul0(v[4], v[5], v[6], v[7])),
                GoldilocksExt2.mul0(l0, l1, qq0, qq1));
        long s1 =
            Goldilocks.add(
                Goldilocks.add(
                    GoldilocksExt2.mul1(v[2], v[3], v[8], v[9]),
                    GoldilocksExt2.mul1(v[4], v[5], v[6], v[7])),
                GoldilocksExt2.mul1(l0, l1, qq0, qq1));
        out[0] = GoldilocksExt2.mul0(v[0], v[1], s0, s1);
        out[1] = GoldilocksExt2.mul1(v[0], v[1], s0, s1);
      }
    };
  }

  private static void absorbChildren(Transcript t, GoldilocksExt2[] c) {
    long[] flat = new long[8];
    for (int i = 0; i < 4; i++) {
      c[i].store(flat, i);
    }
    t.absorbLongs("gkr/children", flat);
  }

  private static GoldilocksExt2[] append(GoldilocksExt2[] point, GoldilocksExt2 x) {
    GoldilocksExt2[] p = java.util.Arrays.copyOf(point, point.length + 1);
    p[point.length] = x;
    return p;
  }
}
