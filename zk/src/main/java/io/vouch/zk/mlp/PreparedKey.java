package io.vouch.zk.mlp;

import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.WiringOp;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Multilinear;
import java.util.List;

/**
 * The verifier's "prepared key": what every verification under one {@link VerifyingKey} would
 * otherwise recompute from the key's model and plan, computed once from the key alone (never from a
 * proof) and held by that key object ({@link VerifyingKey#prepared()}), immutable after
 * construction. It holds, per op:
 *
 * <ul>
 *   <li>the witness rows opened at each lookup GKR's point and at the output point;
 *   <li>the <b>bias term's factors</b>: the bias times the relation's multipliers, E_c·b[c, s] per
 *       output value (a dense op over rows: b[s]·ε_s), is a product f(c)·g(s) for every model the
 *       quantizer makes — a bias per channel (g = 1), one row of biases shared by every row (a
 *       dense op over rows, a layer norm's shift), or one value for all — so the term Σ_{c,s} eq(r,
 *       c·T + s)·E_c·b[c, s] is (Σ_c eq(r_hi, c)·f(c))·(Σ_s eq(r_lo, s)·g(s)), with Σ_s eq(r_lo, s)
 *       in O(log T) when g = 1: O(channels + spatial) or O(channels + log) per proof instead of
 *       O(channels · spatial). A bias that does not factor keeps its products E_c·b[c, s] per value
 *       (the same sum as before, without recomputing them);
 *   <li>every <b>wiring op's source map</b> in physical indices: per input, the output positions
 *       and the input positions they copy, as two int arrays (the verifier's sum Σ_v eq(r,
 *       out(v))·eq(ρ, in(v)) reads them instead of the op's logical map and both layouts).
 * </ul>
 *
 * <p>Nothing here depends on a proof, a request or an input; each verification still runs every
 * check. A prepared key is built for one key's model and plan and is only reachable through that
 * key, so it cannot be paired with a proof for another model: such a proof starts its transcript
 * with another model id and fails as before (tested).
 */
final class PreparedKey {
  /** E_c·b[c, s] = f[c]·g[s] (g null: all ones), or a table per value (full, when f is null). */
  record Bias(long[] f, long[] g, long[] full) {}

  private final Bias[] bias;
  private final int[][] lookupRows;
  private final List<List<WitnessPlan.Vec>> outputParts;
  private final int[][] outputRows;
  private final int[][][] wiringOut;
  private final int[][][] wiringIn;

  PreparedKey(IntegerModel model, WitnessPlan plan) {
    int ops = model.ops().size();
    bias = new Bias[ops];
    wiringOut = new int[ops][][];
    wiringIn = new int[ops][][];
    lookupRows = new int[plan.instances.size()][];
    for (int i = 0; i < lookupRows.length; i++) {
      lookupRows[i] = PointGroup.rowsOf(Relations.lookupVectors(plan, plan.instances.get(i)));
    }
    outputParts = List.copyOf(Opening.split(Relations.outputPointVectors(plan)).values());
    outputRows = new int[outputParts.size()][];
    for (int k = 0; k < outputRows.length; k++) {
      outputRows[k] = PointGroup.rowsOf(outputParts.get(k));
    }
    for (int j = 0; j < ops; j++) {
      IntegerOp op = model.ops().get(j);
      int id = model.tensorOf(j);
      if (plan.isPublic(id)) {
        continue;
      }
      WitnessPlan.Layout lo = plan.layoutOf(id);
      long[] b = Relations.biasOf(op);
      if (b != null) {
        // a Conv whose MaxPool requantizes after pooling commits its accumulators unscaled
        bias[j] = factor(lo, b, op, !plan.prePool[j]);
      }
      if (op instanceof WiringOp w) {
        int[] ins = w.inputs();
        wiringOut[j] = new int[ins.length][];
        wiringIn[j] = new int[ins.length][];
        int n = w.outputShape().size();
        int[] counts = new int[ins.length];
        for (int v = 0; v < n; v++) {
          if (w.sourceInputAt(v) >= 0) {
            counts[w.sourceInputAt(v)]++;
          }
        }
        for (int i = 0; i < ins.length; i++) {
          wiringOut[j][i] = new int[counts[i]];
          wiringIn[j][i] = new int[counts[i]];
        }
        int[] at = new int[ins.length];
        for (int v = 0; v < n; v++) {
          int i = w.sourceInputAt(v);
          if (i < 0) {
            continue; // a value no input fills (zero)
          }
          wiringOut[j][i][at[i]] = lo.physical(v);
          wiringIn[j][i][at[i]] = plan.layoutOf(ins[i]).physical(w.sourceIndexAt(v));
          at[i]++;
        }
      }
    }
  }

  /** The witness rows lookup instance i opens at its GKR's point (increasing). */
  int[] lookupRows(int i) {
    return lookupRows[i];
  }

  /** The vectors opened at the output point r*, by storage order ({@link Opening#split}). */
  List<List<WitnessPlan.Vec>> outputParts() {
    return outputParts;
  }

  /** The witness rows of output part k (increasing). */
  int[] outputRows(int k) {
    return outputRows[k];
  }

  /** Output positions (physical) that wiring op j's input i fills, in output order. */
  int[] wiringOutputs(int j, int i) {
    return wiringOut[j][i];
  }

  /** The physical positions of wiring op j's input i that those outputs copy. */
  int[] wiringSources(int j, int i) {
    return wiringIn[j][i];
  }

  /**
   * Σ_i eq(r, phys(i))·E_{c(i)}·b_i of op j at r: the same field element as {@link
   * Relations#biasTerm} with the channels' multipliers ({@code scaleByChannel}), or without them
   * for a Conv whose MaxPool requantizes after pooling.
   */
  GoldilocksExt2 biasTerm(int j, WitnessPlan.Layout l, GoldilocksExt2[] r) {
    Bias bt = bias[j];
    int low = l.strideBits();
    GoldilocksExt2[] rLo = Relations.prefix(r, low);
    long[] eqHi = Multilinear.eqTable(Relations.range(r, low, r.length));
    if (bt.f() == null) {
      long[] eqLo = Multilinear.eqTable(rLo);
      int spatial = l.spatial();
      long acc0 = 0, acc1 = 0;
      long[] full = bt.full();
      for (int c = 0; c < l.channels(); c++) {
        long s0 = 0, s1 = 0;
        for (int s = 0; s < spatial; s++) {
          long v = full[c * spatial + s];
          if (v != 0) {
            s0 = Goldilocks.add(s0, Goldilocks.mul(eqLo[2 * s], v));
            s1 = Goldilocks.add(s1, Goldilocks.mul(eqLo[2 * s + 1], v));
          }
        }
        long h0 = eqHi[2 * c], h1 = eqHi[2 * c + 1];
        acc0 = Goldilocks.add(acc0, GoldilocksExt2.mul0(s0, s1, h0, h1));
        acc1 = Goldilocks.add(acc1, GoldilocksExt2.mul1(s0, s1, h0, h1));
      }
      return new GoldilocksExt2(acc0, acc1);
    }
    GoldilocksExt2 hi = weightedSum(eqHi, bt.f());
    if (hi.isZero()) {
      return GoldilocksExt2.ZERO;
    }
    GoldilocksExt2 lo =
        bt.g() == null
            ? Multilinear.eqPrefixSum(rLo, l.spatial())
            : weightedSum(Multilinear.eqTable(rLo), bt.g());
    return hi.mul(lo);
  }

  private static GoldilocksExt2 weightedSum(long[] eq, long[] w) {
    long a0 = 0, a1 = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i] != 0) {
        a0 = Goldilocks.add(a0, Goldilocks.mul(eq[2 * i], w[i]));
        a1 = Goldilocks.add(a1, Goldilocks.mul(eq[2 * i + 1], w[i]));
      }
    }
    return new GoldilocksExt2(a0, a1);
  }

  /**
   * The products w[c, s] = E_c·b[c, s] (b[s]·ε_s for a dense op over rows with a multiplier per
   * output), as {@link Relations#biasTerm} forms them, factored as f(c)·g(s) where they factor.
   */
  static Bias factor(WitnessPlan.Layout l, long[] bias, IntegerOp op, boolean scaleByChannel) {
    int channels = l.channels(), spatial = l.spatial();
    boolean perSpatial = scaleByChannel && Relations.scalesPerOutput(op);
    long[] channelScale = new long[channels];
    long[] spatialScale = new long[spatial];
    for (int c = 0; c < channels; c++) {
      channelScale[c] = perSpatial || !scaleByChannel ? 1 : Relations.channelMultiplier(op, c);
    }
    for (int s = 0; s < spatial; s++) {
      spatialScale[s] = perSpatial ? op.requantization().multiplier(s) : 1;
    }
    boolean rowsEqual = true, rowsConstant = true;
    for (int c = 0; c < channels && (rowsEqual || rowsConstant); c++) {
      for (int s = 0; s < spatial; s++) {
        long b = at(bias, c, s, spatial);
        rowsEqual &= b == at(bias, 0, s, spatial);
        rowsConstant &= b == at(bias, c, 0, spatial);
      }
    }
    if (rowsEqual) {
      // b[c, s] = b[s]: w = E_c·(b[s]·σ_s)
      long[] g = new long[spatial];
      for (int s = 0; s < spatial; s++) {
        g[s] = Goldilocks.mul(Goldilocks.fromSigned(at(bias, 0, s, spatial)), spatialScale[s]);
      }
      return new Bias(channelScale, g, null);
    }
    if (rowsConstant) {
      // b[c, s] = b[c]: w = (E_c·b[c])·σ_s
      long[] f = new long[channels];
      for (int c = 0; c < channels; c++) {
        f[c] = Goldilocks.mul(Goldilocks.fromSigned(at(bias, c, 0, spatial)), channelScale[c]);
      }
      return new Bias(f, perSpatial ? spatialScale : null, null);
    }
    long[] full = new long[channels * spatial];
    for (int c = 0; c < channels; c++) {
      for (int s = 0; s < spatial; s++) {
        full[c * spatial + s] =
            Goldilocks.mul(
                Goldilocks.mul(Goldilocks.fromSigned(at(bias, c, s, spatial)), channelScale[c]),
                spatialScale[s]);
      }
    }
    return new Bias(null, null, full);
  }

  private static long at(long[] bias, int c, int s, int spatial) {
    return bias.length == 1 ? bias[0] : bias[c * spatial + s];
  }
}
