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
 * μ). The prover sends layer {@link #sentLayer} in the clear (the verifier adds its fractions up to
 * the root itself) and the descent starts from its multilinear at a random point. After the
 * remaining layers the caller is left with claims p̃(ρ), q̃(ρ) on the leaves.
 *
 * <p>Soundness: the sent layer's claim errs with probability ≤ k/|K| (two different multilinears of
 * k variables agree at a random point), each layer below with ≤ (3k + 2)/|K| (sum-check, λ and μ),
 * in total below 2n^2/|K| ≈ 2^-119 for n ≤ 32.
 */
public final class FractionalSumGkr {
  private FractionalSumGkr() {}

  /** One layer: its sum-check and the four half-table values (pL, pR, qL, qR) at its end point. */
  public record Layer(SumCheckProof sumCheck, GoldilocksExt2[] children) {}

  /**
   * The fractions of layer {@link #sentLayer} in the clear (interleaved K vectors of 2^k numerators
   * and denominators) and the sum-checks of every layer below it.
   */
  public record Proof(long[] topNumerators, long[] topDenominators, List<Layer> layers) {
    public Proof {
      topNumerators = topNumerators.clone();
      topDenominators = topDenominators.clone();
      layers = List.copyOf(layers);
    }

    @Override
    public long[] topNumerators() {
      return topNumerators.clone();
    }

    /** The number of fractions sent in the clear. */
    public int sentFractions() {
      return topNumerators.length / 2;
    }

    @Override
    public long[] topDenominators() {
      return topDenominators.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Proof p
          && java.util.Arrays.equals(topNumerators, p.topNumerators)
          && java.util.Arrays.equals(topDenominators, p.topDenominators)
          && layers.equals(p.layers);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(
          java.util.Arrays.hashCode(topNumerators),
          java.util.Arrays.hashCode(topDenominators),
          layers);
    }
  }

  /**
   * The layers nearest the root are small, yet each costs a sum-check of k rounds with a fixed
   * price per round (a transcript message, a challenge, the round's interpolation) on top of its
   * arithmetic: so the prover sends layer k = min(7, n − 1) in the clear (at most 128 fractions, 4
   * kB) and the verifier adds it up itself (127 fraction additions), saving the 21 rounds and 7
   * layer reductions above it. On the demo model's 256-leaf GKR this takes the prover from 43 to 25
   * µs. The claim the GKR then starts from is that layer's multilinear at a random point drawn
   * after it is absorbed.
   */
  public static int sentLayer(int leafVariables) {
    return Math.min(SENT_LAYER_MAX, Math.max(0, leafVariables - 1));
  }

  private static final int SENT_LAYER_MAX = 7;

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
      Parallel.forRange(h, LEAF_GRAIN, (from, to, who) -> addUnitPairs(q, pn, qn, h, from, to));
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
      long a0 = pc[l], a1 = pc[l + 1], b0 = pc[r], b1 = pc[r + 1];
      long c0 = qc[l], c1 = qc[l + 1], d0 = qc[r], d1 = qc[r + 1];
      pn[2 * x] = GoldilocksExt2.dot0(a0, a1, d0, d1, b0, b1, c0, c1);
      pn[2 * x + 1] = GoldilocksExt2.dot1(a0, a1, d0, d1, b0, b1, c0, c1);
      qn[2 * x] = GoldilocksExt2.mul0(c0, c1, d0, d1);
      qn[2 * x + 1] = GoldilocksExt2.mul1(c0, c1, d0, d1);
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
    int sent = sentLayer(n);
    long[][] ps = new long[n + 1][];
    long[][] qs = new long[n + 1][];
    ps[top] = p;
    qs[top] = q;
    qs[n] = unitLeaves == null ? q : unitLeaves;
    for (int k = top - 1; k >= sent; k--) {
      int h = 1 << k;
      long[] pc = ps[k + 1], qc = qs[k + 1];
      long[] pn = new long[2 * h], qn = new long[2 * h];
      if (h >= PARALLEL_HALF) {
        Parallel.forRange(h, LAYER_GRAIN, (from, to, who) -> addPairs(pc, qc, pn, qn, h, from, to));
      } else {
        addPairs(pc, qc, pn, qn, h, 0, h);
      }
      ps[k] = pn;
      qs[k] = qn;
    }
    absorbTop(transcript, ps[sent], qs[sent]);
    GoldilocksExt2[] point = transcript.challengeExts("gkr/top-point", sent);
    long[] eq = Multilinear.eqTable(point);
    GoldilocksExt2 claimP = Multilinear.innerProduct(ps[sent], eq);
    GoldilocksExt2 claimQ = Multilinear.innerProduct(qs[sent], eq);
    List<Layer> layers = new ArrayList<>(n - sent);
    for (int k = sent; k < n; k++) {
      GoldilocksExt2 lambda = transcript.challengeExt("gkr/lambda");
      long[] qc = qs[k + 1];
      SumCheck.Proved proved;
      if (k + 1 == n && unitLeaves != null) {
        proved =
            proveLayerSumCheck(
                transcript, lambda, claimP.add(lambda.mul(claimQ)), point, null, qc, ps[k], qs[k]);
      } else {
        long[] pc = ps[k + 1];
        proved =
            proveLayerSumCheck(
                transcript, lambda, claimP.add(lambda.mul(claimQ)), point, pc, qc, ps[k], qs[k]);
      }
      GoldilocksExt2[] children = java.util.Arrays.copyOfRange(proved.finalValues(), 1, 5);
      absorbChildren(transcript, children);
      GoldilocksExt2 mu = transcript.challengeExt("gkr/mu");
      point = append(proved.point(), mu);
      claimP = children[0].add(mu.mul(children[1].sub(children[0])));
      claimQ = children[2].add(mu.mul(children[3].sub(children[2])));
      layers.add(new Layer(proved.proof(), children));
    }
    return new Proved(new Proof(ps[sent], qs[sent], layers), point);
  }

  private static void absorbTop(Transcript t, long[] numerators, long[] denominators) {
    t.absorbLongs("gkr/top-numerators", numerators);
    t.absorbLongs("gkr/top-denominators", denominators);
  }

  /**
   * Replays the layers and returns the claims left on the leaves.
   *
   * @throws InvalidProofException if a layer does not reduce correctly
   */
  public static LeafClaim verify(Transcript transcript, int leafVariables, Proof proof) {
    int sent = sentLayer(leafVariables);
    if (proof.topNumerators.length != 2 << sent || proof.topDenominators.length != 2 << sent) {
      throw new InvalidProofException(
          "lookup GKR must send the " + (1 << sent) + " fractions of its layer " + sent);
    }
    if (proof.layers().size() != leafVariables - sent) {
      throw new InvalidProofException(
          "lookup GKR has "
              + proof.layers().size()
              + " layers, expected "
              + (leafVariables - sent));
    }
    // the root from the sent layer, added pairwise as the layers above it would be
    long[] pt = proof.topNumerators, qt = proof.topDenominators;
    for (int h = (1 << sent) >> 1; h >= 1; h >>= 1) {
      long[] pn = new long[2 * h], qn = new long[2 * h];
      addPairs(pt, qt, pn, qn, h, 0, h);
      pt = pn;
      qt = qn;
    }
    GoldilocksExt2 rootP = GoldilocksExt2.at(pt, 0), rootQ = GoldilocksExt2.at(qt, 0);
    absorbTop(transcript, proof.topNumerators, proof.topDenominators);
    GoldilocksExt2[] point = transcript.challengeExts("gkr/top-point", sent);
    long[] eq = Multilinear.eqTable(point);
    GoldilocksExt2 claimP = Multilinear.innerProduct(proof.topNumerators, eq);
    GoldilocksExt2 claimQ = Multilinear.innerProduct(proof.topDenominators, eq);
    for (int k = sent; k < leafVariables; k++) {
      Layer layer = proof.layers().get(k - sent);
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
   * only the inner sum h(t) = Σ_x' eq(r_{&gt;i}, x')·F_t(x') of degree 2 is computed: h(0) and its
   * t^2 coefficient directly (from the differences hi − lo of each table, the coefficient of F_t's
   * t^2 being ΔpL·ΔqR + ΔqL·(ΔpR + λ·ΔqR), or λ·ΔqL·ΔqR for unit numerators), h(1) from the running
   * claim without its eq prefix ((1 − r_i)·h(0) + r_i·h(1), with every 1/r_i from one batch
   * inversion), and s(t) = eq-prefix · eq(r_i, t) · h(t). Each round's fold by its challenge and
   * the next round's sums run in one pass over the tables.
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
    return proveLayer(transcript, lambda, claim, r, pl, pr, ql, qr, null, null);
  }

  /**
   * {@link #proveLayer} given the layer the tables add up to (parentP[y] = pL[y]·qR[y] +
   * pR[y]·qL[y], parentQ[y] = qL[y]·qR[y]; pl == null for unit numerators, parentP[y] = qL[y] +
   * qR[y]): the same messages, with the first round's h(0) read from it (see {@link
   * #proveLayerSumCheck}).
   */
  static SumCheck.Proved proveLayer(
      Transcript transcript,
      GoldilocksExt2 lambda,
      GoldilocksExt2 claim,
      GoldilocksExt2[] r,
      long[] pl,
      long[] pr,
      long[] ql,
      long[] qr,
      long[] parentP,
      long[] parentQ) {
    return proveLayerSumCheck(
        transcript,
        lambda,
        claim,
        r,
        pl == null ? null : concat(pl, pr),
        concat(ql, qr),
        parentP,
        parentQ);
  }

  /** {@link #proveLayer} for pL = pR ≡ 1 (the layer right above unit-numerator leaves). */
  static SumCheck.Proved proveUnitLayer(
      Transcript transcript,
      GoldilocksExt2 lambda,
      GoldilocksExt2 claim,
      GoldilocksExt2[] r,
      long[] ql,
      long[] qr) {
    return proveLayerSumCheck(transcript, lambda, claim, r, null, concat(ql, qr), null, null);
  }

  private static long[] concat(long[] a, long[] b) {
    long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * The layer sum-check over n = |r| variables on the tables pL ‖ pR in {@code p} and qL ‖ qR in
   * {@code q} (interleaved K, each half 2^n values, the right half from long index 2^(n+1); as the
   * layer below is laid out, so its arrays are read as they are; neither is written). p == null
   * means both numerator tables are all ones. With the parent layer given (the fractions the tables
   * add up to, which the prover computed on its way to the root), the first round's h(0) = Σ_x
   * eq(r_{&gt;0}, x)·(P[2x] + λ·Q[2x]) costs two multiplications per point instead of four (the
   * products pL·qR, pR·qL and qL·qR at t = 0 are the parent's).
   */
  private static SumCheck.Proved proveLayerSumCheck(
      Transcript transcript,
      GoldilocksExt2 lambda,
      GoldilocksExt2 claim,
      GoldilocksExt2[] r,
      long[] p,
      long[] q,
      long[] parentP,
      long[] parentQ) {
    int n = r.length;
    long[][] rounds = new long[n][];
    GoldilocksExt2[] point = new GoldilocksExt2[n];
    // the claim is prefix·Σ_t eq(r_i, t)·h(t); "inner" is that sum without the prefix, so h(1)
    // comes out by dividing by r_i alone, and all r_i are inverted at once
    GoldilocksExt2 inner = claim;
    GoldilocksExt2 prefix = GoldilocksExt2.ONE; // eq(r_<i, c_<i)
    long[] rInverses = inversesOfNonzero(r);
    long[][] suffixes = Multilinear.eqSuffixTables(r);
    boolean unit = p == null;
    int right = 2 << n; // where the right halves start, in longs
    long[] h = new long[4];
    if (n > 0) {
      sumsInRange(
          1 << (n - 1),
          (from, to, part) ->
              firstSums(suffixes[0], lambda, p, q, right, parentP, parentQ, from, to, part),
          h);
    }
    // folds write out of place (a chunk of the next round's tables is written where another
    // chunk may still read), alternating between two buffers per table
    long[][] buffers = new long[4][];
    if (n > 0) {
      buffers[0] = new long[2 << n];
      buffers[1] = n > 1 ? new long[1 << n] : null;
      if (!unit) {
        buffers[2] = new long[2 << n];
        buffers[3] = n > 1 ? new long[1 << n] : null;
      }
    }
    long[] pc = p, qc = q;
    int rc = right;
    for (int round = 0; round < n; round++) {
      int half = 1 << (n - 1 - round);
      GoldilocksExt2 ri = r[round];
      GoldilocksExt2 h0 = new GoldilocksExt2(h[0], h[1]);
      // eq(r_i, t) = 1 − r_i − t + 2·r_i·t at t = 0, 1, 2, 3
      GoldilocksExt2 w0 = GoldilocksExt2.ONE.sub(ri);
      GoldilocksExt2 w2 = ri.mulBase(3).sub(GoldilocksExt2.ONE);
      GoldilocksExt2 w3 = ri.mulBase(5).sub(GoldilocksExt2.of(2));
      GoldilocksExt2 h1, h2, h3;
      if (ri.isZero()) {
        // h(1) cannot be divided out (probability ≈ 2^-128 for a random point): compute it
        long[] e = suffixes[round];
        h1 = innerAt(e, lambda, pc, qc, rc, half, 1);
        h2 = innerAt(e, lambda, pc, qc, rc, half, 2);
        h3 = innerAt(e, lambda, pc, qc, rc, half, 3);
      } else {
        // inner = (1 − r_i)·h(0) + r_i·h(1); h = h(0) + b·t + c·t^2, so
        // h(2) = 2h(1) + 2c − h(0), h(3) = 3h(1) + 6c − 2h(0)
        h1 = inner.sub(w0.mul(h0)).mul(GoldilocksExt2.at(rInverses, round));
        GoldilocksExt2 c = new GoldilocksExt2(h[2], h[3]);
        if (unit) {
          c = lambda.mul(c);
        }
        h2 = h1.add(c).mulBase(2).sub(h0);
        h3 = h1.mulBase(3).add(c.mulBase(6)).sub(h0.mulBase(2));
      }
      GoldilocksExt2 s0 = prefix.mul(w0).mul(h0);
      GoldilocksExt2 s1 = prefix.mul(ri).mul(h1);
      GoldilocksExt2 s2 = prefix.mul(w2).mul(h2);
      GoldilocksExt2 s3 = prefix.mul(w3).mul(h3);
      long[] s = {s0.c0(), s0.c1(), s1.c0(), s1.c1(), s2.c0(), s2.c1(), s3.c0(), s3.c1()};
      rounds[round] = s;
      transcript.absorbLongs("sumcheck/round", s);
      GoldilocksExt2 c = transcript.challengeExt("sumcheck/challenge");
      point[round] = c;
      inner =
          SumCheck.interpolate(
              new long[] {h0.c0(), h0.c1(), h1.c0(), h1.c1(), h2.c0(), h2.c1()}, c);
      GoldilocksExt2 rcc = ri.mul(c);
      prefix = prefix.mul(GoldilocksExt2.ONE.sub(ri).sub(c).add(rcc).add(rcc));
      long[] qn = buffers[round & 1], pn = unit ? null : buffers[2 + (round & 1)];
      int rn = rc >> 1;
      long c0 = c.c0(), c1 = c.c1();
      long[] ps = pc, qs = qc;
      int rs = rc;
      if (half == 1) {
        foldLast(ps, qs, rs, pn, qn, rn, c0, c1);
      } else {
        long[] e = suffixes[round + 1];
        sumsInRange(
            half >> 1,
            (from, to, part) -> {
              if (ps == null) {
                foldUnitSums(e, lambda, qs, rs, qn, rn, c0, c1, from, to, part);
              } else {
                foldSums(e, lambda, ps, qs, rs, pn, qn, rn, c0, c1, from, to, part);
              }
            },
            h);
      }
      pc = pn;
      qc = qn;
      rc = rn;
    }
    GoldilocksExt2[] finals = {
      prefix,
      unit ? GoldilocksExt2.ONE : new GoldilocksExt2(pc[0], pc[1]),
      unit ? GoldilocksExt2.ONE : new GoldilocksExt2(pc[rc], pc[rc + 1]),
      new GoldilocksExt2(qc[0], qc[1]),
      new GoldilocksExt2(qc[rc], qc[rc + 1])
    };
    return new SumCheck.Proved(new SumCheckProof(rounds), point, finals);
  }

  /** A range of a round's points summed into {@code part} (four longs: h(0) and c). */
  private interface RangeSums {
    void run(int from, int to, long[] part);
  }

  /**
   * Runs {@code work} over [0, count) into {@code h} (four longs): on both cores in chunks when
   * large, each participant summing into its own accumulator; field sums are exact, so which core
   * summed which chunk does not change them. A chunk (the whole range when the helper is off) is
   * cut into calls of at most {@link GoldilocksExt2#LAZY_BLOCK} points.
   */
  private static void sumsInRange(int count, RangeSums work, long[] h) {
    if (count < PARALLEL_HALF) {
      java.util.Arrays.fill(h, 0);
      work.run(0, count, h);
      return;
    }
    long[][] acc = new long[2][4];
    Parallel.forRange(
        count,
        SUM_GRAIN,
        (from, to, who) -> {
          long[] part = new long[4];
          long[] a = acc[who];
          for (int start = from; start < to; start += GoldilocksExt2.LAZY_BLOCK) {
            work.run(start, Math.min(to, start + GoldilocksExt2.LAZY_BLOCK), part);
            for (int i = 0; i < 4; i++) {
              a[i] = Goldilocks.add(a[i], part[i]);
            }
          }
        });
    for (int i = 0; i < 4; i++) {
      h[i] = Goldilocks.add(acc[0][i], acc[1][i]);
    }
  }

  /** 1/r_i for every nonzero r_i (one inversion for all), interleaved; zero where r_i = 0. */
  private static long[] inversesOfNonzero(GoldilocksExt2[] r) {
    long[] v = new long[2 * r.length];
    for (int i = 0; i < r.length; i++) {
      (r[i].isZero() ? GoldilocksExt2.ONE : r[i]).store(v, i);
    }
    long[] inverses = GoldilocksExt2.batchInverse(v);
    for (int i = 0; i < r.length; i++) {
      if (r[i].isZero()) {
        GoldilocksExt2.ZERO.store(inverses, i);
      }
    }
    return inverses;
  }

  /** Below this many points per half a round runs on one core. */
  private static final int PARALLEL_HALF = 64;

  /**
   * Items per chunk that the two cores pull (tens of microseconds each, so that a descheduled
   * helper holds the caller for at most that long): pairs of the unit leaves (two products each),
   * of a layer (four), and of a round's next-round pairs (up to sixteen: its four tables' two folds
   * each and the next round's sums).
   */
  private static final int LEAF_GRAIN = 4096, LAYER_GRAIN = 2048, SUM_GRAIN = 512;

  /**
   * The first round's h(0) (from the parent layer if given, else directly) and t^2 coefficient
   * (without λ for unit numerators) over pairs [from, to) (at most {@link
   * GoldilocksExt2#LAZY_BLOCK}), into out[0..3], reducing as {@link #foldSums} does.
   */
  private static void firstSums(
      long[] eq,
      GoldilocksExt2 lambda,
      long[] p,
      long[] q,
      int right,
      long[] parentP,
      long[] parentQ,
      int from,
      int to,
      long[] out) {
    long l0 = lambda.c0(), l1 = lambda.c1();
    long h0Low = 0, h0High = 0, h1Low = 0, h1High = 0;
    long c0Low = 0, c0High = 0, c1Low = 0, c1High = 0;
    boolean direct = parentP == null;
    for (int x = from; x < to; x++) {
      int lo = 4 * x, hi = 4 * x + 2, rlo = right + lo, rhi = right + hi;
      long e0 = eq[2 * x], e1 = eq[2 * x + 1];
      long c0 = q[lo], c1 = q[lo + 1], d0 = q[rlo], d1 = q[rlo + 1];
      long dc0 = Goldilocks.sub(q[hi], c0), dc1 = Goldilocks.sub(q[hi + 1], c1);
      long dd0 = Goldilocks.sub(q[rhi], d0), dd1 = Goldilocks.sub(q[rhi + 1], d1);
      long f0, f1, g0, g1;
      if (p == null) {
        if (direct) {
          // F(0) = qR + qL·(1 + λ·qR)
          long m0 = GoldilocksExt2.mulAdd0(1, l0, l1, d0, d1);
          long m1 = GoldilocksExt2.mul1(l0, l1, d0, d1);
          f0 = GoldilocksExt2.mulAdd0(d0, c0, c1, m0, m1);
          f1 = GoldilocksExt2.mulAdd1(d1, c0, c1, m0, m1);
          h0Low += GoldilocksExt2.lazyLow0(e0, e1, f0, f1);
          h0High += GoldilocksExt2.lazyHigh0(e0, e1, f0, f1);
          h1Low += GoldilocksExt2.lazyLow1(e0, e1, f0, f1);
          h1High += GoldilocksExt2.lazyHigh1(e0, e1, f0, f1);
        }
        g0 = GoldilocksExt2.mul0(dc0, dc1, dd0, dd1);
        g1 = GoldilocksExt2.mul1(dc0, dc1, dd0, dd1);
      } else {
        long a0 = p[lo], a1 = p[lo + 1], b0 = p[rlo], b1 = p[rlo + 1];
        if (direct) {
          long m0 = GoldilocksExt2.mulAdd0(b0, l0, l1, d0, d1);
          long m1 = GoldilocksExt2.mulAdd1(b1, l0, l1, d0, d1);
          f0 = GoldilocksExt2.dot0(a0, a1, d0, d1, c0, c1, m0, m1);
          f1 = GoldilocksExt2.dot1(a0, a1, d0, d1, c0, c1, m0, m1);
          h0Low += GoldilocksExt2.lazyLow0(e0, e1, f0, f1);
          h0High += GoldilocksExt2.lazyHigh0(e0, e1, f0, f1);
          h1Low += GoldilocksExt2.lazyLow1(e0, e1, f0, f1);
          h1High += GoldilocksExt2.lazyHigh1(e0, e1, f0, f1);
        }
        long da0 = Goldilocks.sub(p[hi], a0), da1 = Goldilocks.sub(p[hi + 1], a1);
        long db0 = Goldilocks.sub(p[rhi], b0), db1 = Goldilocks.sub(p[rhi + 1], b1);
        // ΔpL·ΔqR + ΔqL·(ΔpR + λ·ΔqR)
        long m0 = GoldilocksExt2.mulAdd0(db0, l0, l1, dd0, dd1);
        long m1 = GoldilocksExt2.mulAdd1(db1, l0, l1, dd0, dd1);
        g0 = GoldilocksExt2.dot0(da0, da1, dd0, dd1, dc0, dc1, m0, m1);
        g1 = GoldilocksExt2.dot1(da0, da1, dd0, dd1, dc0, dc1, m0, m1);
      }
      c0Low += GoldilocksExt2.lazyLow0(e0, e1, g0, g1);
      c0High += GoldilocksExt2.lazyHigh0(e0, e1, g0, g1);
      c1Low += GoldilocksExt2.lazyLow1(e0, e1, g0, g1);
      c1High += GoldilocksExt2.lazyHigh1(e0, e1, g0, g1);
    }
    if (!direct) {
      parentSum(eq, lambda, parentP, parentQ, from, to, out);
    } else {
      out[0] = Goldilocks.settle(h0Low, h0High);
      out[1] = Goldilocks.settle(h1Low, h1High);
    }
    out[2] = Goldilocks.settle(c0Low, c0High);
    out[3] = Goldilocks.settle(c1Low, c1High);
  }

  /** h(0) = Σ_x eq·(P[2x] + λ·Q[2x]) into out[0..1], from the parent layer. */
  private static void parentSum(
      long[] suffix, GoldilocksExt2 lambda, long[] pp, long[] pq, int from, int to, long[] out) {
    long s0Low = 0, s0High = 0, s1Low = 0, s1High = 0;
    long t0Low = 0, t0High = 0, t1Low = 0, t1High = 0;
    for (int x = from; x < to; x++) {
      long e0 = suffix[2 * x], e1 = suffix[2 * x + 1];
      long a0 = pp[4 * x], a1 = pp[4 * x + 1], b0 = pq[4 * x], b1 = pq[4 * x + 1];
      s0Low += GoldilocksExt2.lazyLow0(e0, e1, a0, a1);
      s0High += GoldilocksExt2.lazyHigh0(e0, e1, a0, a1);
      s1Low += GoldilocksExt2.lazyLow1(e0, e1, a0, a1);
      s1High += GoldilocksExt2.lazyHigh1(e0, e1, a0, a1);
      t0Low += GoldilocksExt2.lazyLow0(e0, e1, b0, b1);
      t0High += GoldilocksExt2.lazyHigh0(e0, e1, b0, b1);
      t1Low += GoldilocksExt2.lazyLow1(e0, e1, b0, b1);
      t1High += GoldilocksExt2.lazyHigh1(e0, e1, b0, b1);
    }
    long s0 = Goldilocks.settle(s0Low, s0High), s1 = Goldilocks.settle(s1Low, s1High);
    long t0 = Goldilocks.settle(t0Low, t0High), t1 = Goldilocks.settle(t1Low, t1High);
    long l0 = lambda.c0(), l1 = lambda.c1();
    out[0] = GoldilocksExt2.mulAdd0(s0, l0, l1, t0, t1);
    out[1] = GoldilocksExt2.mulAdd1(s1, l0, l1, t0, t1);
  }

  /**
   * For general numerators: folds the pairs 2y and 2y + 1 of each table by c into the next round's
   * pair y (written to the out tables) and adds that pair's h(0) and t^2 coefficient, weighted by
   * eq[y], into out[0..3], for y in [from, to) (at most {@link GoldilocksExt2#LAZY_BLOCK} points).
   *
   * <p>Every product is reduced once with whatever it is added to ({@link GoldilocksExt2#mulAdd0},
   * {@link GoldilocksExt2#dot0}: a fold t + c·Δt, F(0)'s two products), and the eq-weighted sums
   * stay unreduced in lazy form until the end of the range: the results are the same residues, and
   * the whole GKR proof (2^24 leaves) takes about 0.6 of the time it took reducing every product
   * and sum.
   */
  private static void foldSums(
      long[] eq,
      GoldilocksExt2 lambda,
      long[] p,
      long[] q,
      int right,
      long[] pn,
      long[] qn,
      int rightNext,
      long cc0,
      long cc1,
      int from,
      int to,
      long[] out) {
    long l0 = lambda.c0(), l1 = lambda.c1();
    long h0Low = 0, h0High = 0, h1Low = 0, h1High = 0;
    long c0Low = 0, c0High = 0, c1Low = 0, c1High = 0;
    for (int y = from; y < to; y++) {
      int i = 8 * y, ri = right + i, o = 4 * y, ro = rightNext + o;
      // lo = t[i] + c·(t[i+2] − t[i]), hi = t[i+4] + c·(t[i+6] − t[i+4]), per table
      long u0 = Goldilocks.sub(p[i + 2], p[i]), u1 = Goldilocks.sub(p[i + 3], p[i + 1]);
      long a0 = GoldilocksExt2.mulAdd0(p[i], u0, u1, cc0, cc1);
      long a1 = GoldilocksExt2.mulAdd1(p[i + 1], u0, u1, cc0, cc1);
      u0 = Goldilocks.sub(p[i + 6], p[i + 4]);
      u1 = Goldilocks.sub(p[i + 7], p[i + 5]);
      long ah0 = GoldilocksExt2.mulAdd0(p[i + 4], u0, u1, cc0, cc1);
      long ah1 = GoldilocksExt2.mulAdd1(p[i + 5], u0, u1, cc0, cc1);
      u0 = Goldilocks.sub(p[ri + 2], p[ri]);
      u1 = Goldilocks.sub(p[ri + 3], p[ri + 1]);
      long b0 = GoldilocksExt2.mulAdd0(p[ri], u0, u1, cc0, cc1);
      long b1 = GoldilocksExt2.mulAdd1(p[ri + 1], u0, u1, cc0, cc1);
      u0 = Goldilocks.sub(p[ri + 6], p[ri + 4]);
      u1 = Goldilocks.sub(p[ri + 7], p[ri + 5]);
      long bh0 = GoldilocksExt2.mulAdd0(p[ri + 4], u0, u1, cc0, cc1);
      long bh1 = GoldilocksExt2.mulAdd1(p[ri + 5], u0, u1, cc0, cc1);
      u0 = Goldilocks.sub(q[i + 2], q[i]);
      u1 = Goldilocks.sub(q[i + 3], q[i + 1]);
      long c0 = GoldilocksExt2.mulAdd0(q[i], u0, u1, cc0, cc1);
      long c1 = GoldilocksExt2.mulAdd1(q[i + 1], u0, u1, cc0, cc1);
      u0 = Goldilocks.sub(q[i + 6], q[i + 4]);
      u1 = Goldilocks.sub(q[i + 7], q[i + 5]);
      long ch0 = GoldilocksExt2.mulAdd0(q[i + 4], u0, u1, cc0, cc1);
      long ch1 = GoldilocksExt2.mulAdd1(q[i + 5], u0, u1, cc0, cc1);
      u0 = Goldilocks.sub(q[ri + 2], q[ri]);
      u1 = Goldilocks.sub(q[ri + 3], q[ri + 1]);
      long d0 = GoldilocksExt2.mulAdd0(q[ri], u0, u1, cc0, cc1);
      long d1 = GoldilocksExt2.mulAdd1(q[ri + 1], u0, u1, cc0, cc1);
      u0 = Goldilocks.sub(q[ri + 6], q[ri + 4]);
      u1 = Goldilocks.sub(q[ri + 7], q[ri + 5]);
      long dh0 = GoldilocksExt2.mulAdd0(q[ri + 4], u0, u1, cc0, cc1);
      long dh1 = GoldilocksExt2.mulAdd1(q[ri + 5], u0, u1, cc0, cc1);
      pn[o] = a0;
      pn[o + 1] = a1;
      pn[o + 2] = ah0;
      pn[o + 3] = ah1;
      pn[ro] = b0;
      pn[ro + 1] = b1;
      pn[ro + 2] = bh0;
      pn[ro + 3] = bh1;
      qn[o] = c0;
      qn[o + 1] = c1;
      qn[o + 2] = ch0;
      qn[o + 3] = ch1;
      qn[ro] = d0;
      qn[ro + 1] = d1;
      qn[ro + 2] = dh0;
      qn[ro + 3] = dh1;
      long e0 = eq[2 * y], e1 = eq[2 * y + 1];
      // F(0) = pL·qR + qL·(pR + λ·qR)
      long m0 = GoldilocksExt2.mulAdd0(b0, l0, l1, d0, d1);
      long m1 = GoldilocksExt2.mulAdd1(b1, l0, l1, d0, d1);
      long f0 = GoldilocksExt2.dot0(a0, a1, d0, d1, c0, c1, m0, m1);
      long f1 = GoldilocksExt2.dot1(a0, a1, d0, d1, c0, c1, m0, m1);
      h0Low += GoldilocksExt2.lazyLow0(e0, e1, f0, f1);
      h0High += GoldilocksExt2.lazyHigh0(e0, e1, f0, f1);
      h1Low += GoldilocksExt2.lazyLow1(e0, e1, f0, f1);
      h1High += GoldilocksExt2.lazyHigh1(e0, e1, f0, f1);
      // the t^2 coefficient from the differences
      long da0 = Goldilocks.sub(ah0, a0), da1 = Goldilocks.sub(ah1, a1);
      long db0 = Goldilocks.sub(bh0, b0), db1 = Goldilocks.sub(bh1, b1);
      long dc0 = Goldilocks.sub(ch0, c0), dc1 = Goldilocks.sub(ch1, c1);
      long dd0 = Goldilocks.sub(dh0, d0), dd1 = Goldilocks.sub(dh1, d1);
      m0 = GoldilocksExt2.mulAdd0(db0, l0, l1, dd0, dd1);
      m1 = GoldilocksExt2.mulAdd1(db1, l0, l1, dd0, dd1);
      long g0 = GoldilocksExt2.dot0(da0, da1, dd0, dd1, dc0, dc1, m0, m1);
      long g1 = GoldilocksExt2.dot1(da0, da1, dd0, dd1, dc0, dc1, m0, m1);
      c0Low += GoldilocksExt2.lazyLow0(e0, e1, g0, g1);
      c0High += GoldilocksExt2.lazyHigh0(e0, e1, g0, g1);
      c1Low += GoldilocksExt2.lazyLow1(e0, e1, g0, g1);
      c1High += GoldilocksExt2.lazyHigh1(e0, e1, g0, g1);
    }
    out[0] = Goldilocks.settle(h0Low, h0High);
    out[1] = Goldilocks.settle(h1Low, h1High);
    out[2] = Goldilocks.settle(c0Low, c0High);
    out[3] = Goldilocks.settle(c1Low, c1High);
  }

  /**
   * {@link #foldSums} for pL = pR ≡ 1, where F = qL + qR + λ·qL·qR: h(0) into out[0..1] and, as the
   * t^2 coefficient without λ, Σ eq·ΔqL·ΔqR into out[2..3].
   */
  private static void foldUnitSums(
      long[] eq,
      GoldilocksExt2 lambda,
      long[] q,
      int right,
      long[] qn,
      int rightNext,
      long cc0,
      long cc1,
      int from,
      int to,
      long[] out) {
    long l0 = lambda.c0(), l1 = lambda.c1();
    long h0Low = 0, h0High = 0, h1Low = 0, h1High = 0;
    long c0Low = 0, c0High = 0, c1Low = 0, c1High = 0;
    for (int y = from; y < to; y++) {
      int i = 8 * y, ri = right + i, o = 4 * y, ro = rightNext + o;
      long u0 = Goldilocks.sub(q[i + 2], q[i]), u1 = Goldilocks.sub(q[i + 3], q[i + 1]);
      long c0 = GoldilocksExt2.mulAdd0(q[i], u0, u1, cc0, cc1);
      long c1 = GoldilocksExt2.mulAdd1(q[i + 1], u0, u1, cc0, cc1);
      u0 = Goldilocks.sub(q[i + 6], q[i + 4]);
      u1 = Goldilocks.sub(q[i + 7], q[i + 5]);
      long ch0 = GoldilocksExt2.mulAdd0(q[i + 4], u0, u1, cc0, cc1);
      long ch1 = GoldilocksExt2.mulAdd1(q[i + 5], u0, u1, cc0, cc1);
      u0 = Goldilocks.sub(q[ri + 2], q[ri]);
      u1 = Goldilocks.sub(q[ri + 3], q[ri + 1]);
      long d0 = GoldilocksExt2.mulAdd0(q[ri], u0, u1, cc0, cc1);
      long d1 = GoldilocksExt2.mulAdd1(q[ri + 1], u0, u1, cc0, cc1);
      u0 = Goldilocks.sub(q[ri + 6], q[ri + 4]);
      u1 = Goldilocks.sub(q[ri + 7], q[ri + 5]);
      long dh0 = GoldilocksExt2.mulAdd0(q[ri + 4], u0, u1, cc0, cc1);
      long dh1 = GoldilocksExt2.mulAdd1(q[ri + 5], u0, u1, cc0, cc1);
      qn[o] = c0;
      qn[o + 1] = c1;
      qn[o + 2] = ch0;
      qn[o + 3] = ch1;
      qn[ro] = d0;
      qn[ro + 1] = d1;
      qn[ro + 2] = dh0;
      qn[ro + 3] = dh1;
      long e0 = eq[2 * y], e1 = eq[2 * y + 1];
      // F(0) = qR + qL·(1 + λ·qR)
      long m0 = GoldilocksExt2.mulAdd0(1, l0, l1, d0, d1);
      long m1 = GoldilocksExt2.mul1(l0, l1, d0, d1);
      long f0 = GoldilocksExt2.mulAdd0(d0, c0, c1, m0, m1);
      long f1 = GoldilocksExt2.mulAdd1(d1, c0, c1, m0, m1);
      h0Low += GoldilocksExt2.lazyLow0(e0, e1, f0, f1);
      h0High += GoldilocksExt2.lazyHigh0(e0, e1, f0, f1);
      h1Low += GoldilocksExt2.lazyLow1(e0, e1, f0, f1);
      h1High += GoldilocksExt2.lazyHigh1(e0, e1, f0, f1);
      long a0 = Goldilocks.sub(ch0, c0), a1 = Goldilocks.sub(ch1, c1);
      long b0 = Goldilocks.sub(dh0, d0), b1 = Goldilocks.sub(dh1, d1);
      long g0 = GoldilocksExt2.mul0(a0, a1, b0, b1);
      long g1 = GoldilocksExt2.mul1(a0, a1, b0, b1);
      c0Low += GoldilocksExt2.lazyLow0(e0, e1, g0, g1);
      c0High += GoldilocksExt2.lazyHigh0(e0, e1, g0, g1);
      c1Low += GoldilocksExt2.lazyLow1(e0, e1, g0, g1);
      c1High += GoldilocksExt2.lazyHigh1(e0, e1, g0, g1);
    }
    out[0] = Goldilocks.settle(h0Low, h0High);
    out[1] = Goldilocks.settle(h1Low, h1High);
    out[2] = Goldilocks.settle(c0Low, c0High);
    out[3] = Goldilocks.settle(c1Low, c1High);
  }

  /** The last round's fold: each table's one pair to one value (pn null for unit numerators). */
  private static void foldLast(
      long[] p, long[] q, int right, long[] pn, long[] qn, int rightNext, long c0, long c1) {
    for (int side = 0; side < 2; side++) {
      int i = side * right, o = side * rightNext;
      for (int j = 0; j < 2; j++) {
        long[] t = j == 0 ? q : p, out = j == 0 ? qn : pn;
        if (t == null) {
          continue;
        }
        long d0 = Goldilocks.sub(t[i + 2], t[i]), d1 = Goldilocks.sub(t[i + 3], t[i + 1]);
        out[o] = GoldilocksExt2.mulAdd0(t[i], d0, d1, c0, c1);
        out[o + 1] = GoldilocksExt2.mulAdd1(t[i + 1], d0, d1, c0, c1);
      }
    }
  }

  /** h(t) computed directly, for the case r_i = 0 where h(1) cannot be divided out. */
  private static GoldilocksExt2 innerAt(
      long[] suffix, GoldilocksExt2 lambda, long[] p, long[] q, int right, int half, int t) {
    GoldilocksExt2 h = GoldilocksExt2.ZERO;
    for (int x = 0; x < half; x++) {
      GoldilocksExt2 a = p == null ? GoldilocksExt2.ONE : at(p, 0, x, t);
      GoldilocksExt2 b = p == null ? GoldilocksExt2.ONE : at(p, right, x, t);
      GoldilocksExt2 c = at(q, 0, x, t), d = at(q, right, x, t);
      GoldilocksExt2 f = a.mul(d).add(c.mul(b.add(lambda.mul(d))));
      h = h.add(GoldilocksExt2.at(suffix, x).mul(f));
    }
    return h;
  }

  /**
   * The pair x of the table starting at long {@code offset}, interpolated at t: lo + t·(hi − lo).
   */
  private static GoldilocksExt2 at(long[] table, int offset, int x, int t) {
    GoldilocksExt2 lo = new GoldilocksExt2(table[offset + 4 * x], table[offset + 4 * x + 1]);
    GoldilocksExt2 hi = new GoldilocksExt2(table[offset + 4 * x + 2], table[offset + 4 * x + 3]);
    return lo.add(hi.sub(lo).mulBase(t));
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
