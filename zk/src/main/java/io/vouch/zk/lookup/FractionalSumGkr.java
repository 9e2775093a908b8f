package io.vouch.zk.lookup;

import io.vouch.zk.InvalidProofException;
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

  /** Proves the sum of p/q for interleaved K vectors of length 2^n. */
  public static Proved prove(Transcript transcript, long[] p, long[] q) {
    int n = Integer.numberOfTrailingZeros(p.length / 2);
    if (p.length != q.length || p.length / 2 != 1 << n) {
      throw new IllegalArgumentException(
          "GKR leaves must be two vectors of equal power-of-two length");
    }
    long[][] ps = new long[n + 1][];
    long[][] qs = new long[n + 1][];
    ps[n] = p;
    qs[n] = q;
    for (int k = n - 1; k >= 0; k--) {
      int h = 1 << k;
      long[] pc = ps[k + 1], qc = qs[k + 1];
      long[] pn = new long[2 * h], qn = new long[2 * h];
      for (int x = 0; x < h; x++) {
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
      long[] pc = ps[k + 1], qc = qs[k + 1];
      long[][] tables = {
        Multilinear.eqTable(point),
        java.util.Arrays.copyOfRange(pc, 0, 2 * h),
        java.util.Arrays.copyOfRange(pc, 2 * h, 4 * h),
        java.util.Arrays.copyOfRange(qc, 0, 2 * h),
        java.util.Arrays.copyOfRange(qc, 2 * h, 4 * h)
      };
      SumCheck.Proved proved =
          proveLayer(transcript, lambda, claimP.add(lambda.mul(claimQ)), tables);
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
   * The layer sum-check of Σ_x eq(x)·(pL qR + pR qL + λ qL qR), specialized: the same messages as
   * {@link SumCheck#prove} with {@link #layerPolynomial}, but s(1) comes from the running claim
   * (s(0) + s(1) = claim) and the summand is factored as pL·qR + qL·(pR + λ·qR), so each pair costs
   * 12 extension multiplications instead of 20 plus the generic dispatch.
   */
  static SumCheck.Proved proveLayer(
      Transcript transcript, GoldilocksExt2 lambda, GoldilocksExt2 claim, long[][] tables) {
    long[] eq = tables[0], pl = tables[1], pr = tables[2], ql = tables[3], qr = tables[4];
    int size = eq.length / 2;
    int n = Integer.numberOfTrailingZeros(size);
    long l0 = lambda.c0(), l1 = lambda.c1();
    long[][] rounds = new long[n][];
    GoldilocksExt2[] point = new GoldilocksExt2[n];
    GoldilocksExt2 current = claim;
    for (int round = 0; round < n; round++) {
      int half = size >> 1;
      long s00 = 0, s01 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (int x = 0; x < half; x++) {
        int lo = 4 * x, hi = 4 * x + 2;
        // t = 0
        long e0 = eq[lo], e1 = eq[lo + 1];
        long a0 = pl[lo], a1 = pl[lo + 1], b0 = pr[lo], b1 = pr[lo + 1];
        long c0 = ql[lo], c1 = ql[lo + 1], d0 = qr[lo], d1 = qr[lo + 1];
        long de0 = Goldilocks.sub(eq[hi], e0), de1 = Goldilocks.sub(eq[hi + 1], e1);
        long da0 = Goldilocks.sub(pl[hi], a0), da1 = Goldilocks.sub(pl[hi + 1], a1);
        long db0 = Goldilocks.sub(pr[hi], b0), db1 = Goldilocks.sub(pr[hi + 1], b1);
        long dc0 = Goldilocks.sub(ql[hi], c0), dc1 = Goldilocks.sub(ql[hi + 1], c1);
        long dd0 = Goldilocks.sub(qr[hi], d0), dd1 = Goldilocks.sub(qr[hi + 1], d1);
        for (int t = 0; t < 3; t++) {
          if (t == 1) {
            // jump from t = 0 to t = 2: add the difference twice
            e0 = Goldilocks.add(eq[hi], de0);
            e1 = Goldilocks.add(eq[hi + 1], de1);
            a0 = Goldilocks.add(pl[hi], da0);
            a1 = Goldilocks.add(pl[hi + 1], da1);
            b0 = Goldilocks.add(pr[hi], db0);
            b1 = Goldilocks.add(pr[hi + 1], db1);
            c0 = Goldilocks.add(ql[hi], dc0);
            c1 = Goldilocks.add(ql[hi + 1], dc1);
            d0 = Goldilocks.add(qr[hi], dd0);
            d1 = Goldilocks.add(qr[hi + 1], dd1);
          } else if (t == 2) {
            e0 = Goldilocks.add(e0, de0);
            e1 = Goldilocks.add(e1, de1);
            a0 = Goldilocks.add(a0, da0);
            a1 = Goldilocks.add(a1, da1);
            b0 = Goldilocks.add(b0, db0);
            b1 = Goldilocks.add(b1, db1);
            c0 = Goldilocks.add(c0, dc0);
            c1 = Goldilocks.add(c1, dc1);
            d0 = Goldilocks.add(d0, dd0);
            d1 = Goldilocks.add(d1, dd1);
          }
          // pL·qR + qL·(pR + λ·qR)
          long m0 = Goldilocks.add(b0, GoldilocksExt2.mul0(l0, l1, d0, d1));
          long m1 = Goldilocks.add(b1, GoldilocksExt2.mul1(l0, l1, d0, d1));
          long i0 =
              Goldilocks.add(
                  GoldilocksExt2.mul0(a0, a1, d0, d1), GoldilocksExt2.mul0(c0, c1, m0, m1));
          long i1 =
              Goldilocks.add(
                  GoldilocksExt2.mul1(a0, a1, d0, d1), GoldilocksExt2.mul1(c0, c1, m0, m1));
          long v0 = GoldilocksExt2.mul0(e0, e1, i0, i1);
          long v1 = GoldilocksExt2.mul1(e0, e1, i0, i1);
          if (t == 0) {
            s00 = Goldilocks.add(s00, v0);
            s01 = Goldilocks.add(s01, v1);
          } else if (t == 1) {
            s20 = Goldilocks.add(s20, v0);
            s21 = Goldilocks.add(s21, v1);
          } else {
            s30 = Goldilocks.add(s30, v0);
            s31 = Goldilocks.add(s31, v1);
          }
        }
      }
      long[] s = {
        s00,
        s01,
        Goldilocks.sub(current.c0(), s00),
        Goldilocks.sub(current.c1(), s01),
        s20,
        s21,
        s30,
        s31
      };
      rounds[round] = s;
      transcript.absorbLongs("sumcheck/round", s);
      GoldilocksExt2 c = transcript.challengeExt("sumcheck/challenge");
      point[round] = c;
      current = SumCheck.interpolate(s, c);
      long r0 = c.c0(), r1 = c.c1();
      for (long[] table : tables) {
        for (int x = 0; x < half; x++) {
          long lo0 = table[4 * x], lo1 = table[4 * x + 1];
          long d0 = Goldilocks.sub(table[4 * x + 2], lo0),
              d1 = Goldilocks.sub(table[4 * x + 3], lo1);
          table[2 * x] = Goldilocks.add(lo0, GoldilocksExt2.mul0(d0, d1, r0, r1));
          table[2 * x + 1] = Goldilocks.add(lo1, GoldilocksExt2.mul1(d0, d1, r0, r1));
        }
      }
      size = half;
    }
    GoldilocksExt2[] finals = new GoldilocksExt2[5];
    for (int j = 0; j < 5; j++) {
      finals[j] = GoldilocksExt2.at(tables[j], 0);
    }
    return new SumCheck.Proved(new SumCheckProof(rounds), point, finals);
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
