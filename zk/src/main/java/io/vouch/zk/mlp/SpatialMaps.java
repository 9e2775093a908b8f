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

  /** S_k = Σ_p eqP[p]·eqIn[source(p, k)] for every k. */
  static GoldilocksExt2[] tapSums(int[][] sources, long[] eqP, long[] eqIn) {
    GoldilocksExt2[] out = new GoldilocksExt2[sources.length];
    for (int k = 0; k < sources.length; k++) {
      int[] src = sources[k];
      long s0 = 0, s1 = 0;
      for (int p = 0; p < src.length; p++) {
        int s = src[p];
        if (s >= 0) {
          long a0 = eqP[2 * p], a1 = eqP[2 * p + 1], b0 = eqIn[2 * s], b1 = eqIn[2 * s + 1];
          s0 = Goldilocks.add(s0, GoldilocksExt2.mul0(a0, a1, b0, b1));
          s1 = Goldilocks.add(s1, GoldilocksExt2.mul1(a0, a1, b0, b1));
        }
      }
      out[k] = new GoldilocksExt2(s0, s1);
    }
    return out;
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
