package io.vouch.zk.mlp;

import io.vouch.onnx.quant.Window;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;

/**
 * The public structure of a sliding window (Conv, MaxPool, AveragePool) in the multilinear world.
 * With eq_p the table eq(r_p, ·) over output positions (optionally weighted per position), {@link
 * #scatter} gives E_k[s] = Σ_{p : source(p, k) = s} eq_p[p] for every kernel position k (the
 * prover's tables), and {@link #tapSums} gives S_k = Σ_p eq_p[p]·eq(ρ, source(p, k)) (the
 * verifier's evaluation of the same map at a point ρ of the input's spatial domain) in O(K·P).
 */
final class SpatialMaps {
  private SpatialMaps() {}

  /** The spatial index read by output position p at kernel position k, or −1 for padding. */
  static int[][] sources(Window w, int inH, int inW, int outH, int outW) {
    int k = w.kernelSize();
    int positions = outH * outW;
    int[][] src = new int[k][positions];
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < positions; p++) {
        src[t][p] = w.source(inH, inW, outW, p, t);
      }
    }
    return src;
  }

  /** eq_p over the first {@code positions} output positions, times their weights (if any). */
  static long[] weightedEq(long[] eqOut, int positions, long[] weights) {
    long[] e = new long[2 * positions];
    for (int p = 0; p < positions; p++) {
      long a0 = eqOut[2 * p], a1 = eqOut[2 * p + 1];
      if (weights != null) {
        long w = Goldilocks.fromSigned(weights[p]);
        a0 = Goldilocks.mul(a0, w);
        a1 = Goldilocks.mul(a1, w);
      }
      e[2 * p] = a0;
      e[2 * p + 1] = a1;
    }
    return e;
  }

  /** E_k over the input's spatial stride {@code tIn}, for every k (interleaved K tables). */
  static long[][] scatter(int[][] sources, long[] eqP, int tIn) {
    long[][] e = new long[sources.length][2 * tIn];
    for (int k = 0; k < sources.length; k++) {
      int[] src = sources[k];
      long[] ek = e[k];
      for (int p = 0; p < src.length; p++) {
        int s = src[p];
        if (s >= 0) {
          ek[2 * s] = Goldilocks.add(ek[2 * s], eqP[2 * p]);
          ek[2 * s + 1] = Goldilocks.add(ek[2 * s + 1], eqP[2 * p + 1]);
        }
      }
    }
    return e;
  }

  /**
   * The E_k of {@link #scatter} position-major: E_k[s] at index s·K + k (interleaved K values), so
   * that a sum over k at one input position reads adjacent values.
   */
  static long[] scatterByPosition(int[][] sources, long[] eqP, int tIn) {
    int kernel = sources.length;
    long[] e = new long[2 * tIn * kernel];
    for (int k = 0; k < kernel; k++) {
      int[] src = sources[k];
      for (int p = 0; p < src.length; p++) {
        int s = src[p];
        if (s >= 0) {
          int at = 2 * (s * kernel + k);
          e[at] = Goldilocks.add(e[at], eqP[2 * p]);
          e[at + 1] = Goldilocks.add(e[at + 1], eqP[2 * p + 1]);
        }
      }
    }
    return e;
  }

  /**
   * The input positions (below {@code tIn}, the input's spatial size) that some output position
   * reads at some kernel position, increasing: where a window map's E_k can be nonzero.
   */
  static int[] reached(int[][] sources, int tIn) {
    boolean[] hit = new boolean[tIn];
    int count = 0;
    for (int[] src : sources) {
      for (int s : src) {
        if (s >= 0 && !hit[s]) {
          hit[s] = true;
          count++;
        }
      }
    }
    int[] out = new int[count];
    for (int s = 0, n = 0; s < tIn; s++) {
      if (hit[s]) {
        out[n++] = s;
      }
    }
    return out;
  }

  /**
   * S_k = Σ_p eqP[p]·eqIn[source(p, k)] for every k. Each product (a0 + a1X)(b0 + b1X) = a0·b0 +
   * 7·a1·b1 + (a0·b1 + a1·b0)X is summed as three unreduced 128-bit sums in 192-bit accumulators,
   * reduced once per k: the same field elements as product-by-product arithmetic.
   */
  static GoldilocksExt2[] tapSums(int[][] sources, long[] eqP, long[] eqIn) {
    GoldilocksExt2[] out = new GoldilocksExt2[sources.length];
    for (int k = 0; k < sources.length; k++) {
      int[] src = sources[k];
      long al = 0, ah = 0, at = 0; // Σ a0·b0
      long bl = 0, bh = 0, bt = 0; // Σ a1·b1
      long cl = 0, ch = 0, ct = 0; // Σ a0·b1 + a1·b0
      for (int p = 0; p < src.length; p++) {
        int s = src[p];
        if (s < 0) {
          continue;
        }
        long a0 = eqP[2 * p], a1 = eqP[2 * p + 1], b0 = eqIn[2 * s], b1 = eqIn[2 * s + 1];
        long pl = a0 * b0, ph = Math.unsignedMultiplyHigh(a0, b0);
        long nl = al + pl;
        long add = ph + (((al & pl) | ((al | pl) & ~nl)) >>> 63);
        long nh = ah + add;
        at += ((ah & add) | ((ah | add) & ~nh)) >>> 63;
        al = nl;
        ah = nh;
        pl = a1 * b1;
        ph = Math.unsignedMultiplyHigh(a1, b1);
        nl = bl + pl;
        add = ph + (((bl & pl) | ((bl | pl) & ~nl)) >>> 63);
        nh = bh + add;
        bt += ((bh & add) | ((bh | add) & ~nh)) >>> 63;
        bl = nl;
        bh = nh;
        pl = a0 * b1;
        ph = Math.unsignedMultiplyHigh(a0, b1);
        nl = cl + pl;
        add = ph + (((cl & pl) | ((cl | pl) & ~nl)) >>> 63);
        nh = ch + add;
        ct += ((ch & add) | ((ch | add) & ~nh)) >>> 63;
        cl = nl;
        ch = nh;
        pl = a1 * b0;
        ph = Math.unsignedMultiplyHigh(a1, b0);
        nl = cl + pl;
        add = ph + (((cl & pl) | ((cl | pl) & ~nl)) >>> 63);
        nh = ch + add;
        ct += ((ch & add) | ((ch | add) & ~nh)) >>> 63;
        cl = nl;
        ch = nh;
      }
      long s0 =
          Goldilocks.add(
              reduce192(al, ah, at),
              Goldilocks.mul(GoldilocksExt2.NONRESIDUE, reduce192(bl, bh, bt)));
      out[k] = new GoldilocksExt2(s0, reduce192(cl, ch, ct));
    }
    return out;
  }

  /** top·2^128 + hi·2^64 + lo mod p for top &lt; 2^31 (2^128 ≡ −2^32). */
  static long reduce192(long lo, long hi, long top) {
    return Goldilocks.sub(Goldilocks.reduce128(hi, lo), Goldilocks.reduce64(top << 32));
  }

  /** Σ over padding taps of eqP[p], for every k (MaxPool's constant −128 there). */
  static GoldilocksExt2[] paddingSums(int[][] sources, long[] eqP) {
    GoldilocksExt2[] out = new GoldilocksExt2[sources.length];
    for (int k = 0; k < sources.length; k++) {
      long s0 = 0, s1 = 0;
      for (int p = 0; p < sources[k].length; p++) {
        if (sources[k][p] < 0) {
          s0 = Goldilocks.add(s0, eqP[2 * p]);
          s1 = Goldilocks.add(s1, eqP[2 * p + 1]);
        }
      }
      out[k] = new GoldilocksExt2(s0, s1);
    }
    return out;
  }
}
