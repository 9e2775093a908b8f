package io.vouch.zk.mlp;

import io.vouch.onnx.quant.AveragePoolOp;
import io.vouch.onnx.quant.ConvOp;
import io.vouch.onnx.quant.DenseOp;
import io.vouch.onnx.quant.ElementwiseOp;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.LayerNormOp;
import io.vouch.onnx.quant.MaxPoolOp;
import io.vouch.onnx.quant.Requantization;
import io.vouch.onnx.quant.SoftmaxOp;
import io.vouch.onnx.quant.WiringOp;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Multilinear;
import io.vouch.zk.lookup.LookupTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The arithmetic prover and verifier share: claims derived from evaluations, public tensors in
 * their physical layout, bias terms, the vectors each op needs at the output point.
 */
final class Relations {
  /**
   * What a softmax's selector check adds to d where no value is (the columns beyond the row length
   * L, the rows of the matrices' cube beyond the real ones, everything beyond the cube; format 12 —
   * format 11 added it on the columns only): d there is in [−256, 0] (the exponential lookup adds
   * its pad key 256 off the input's values), so d + 257 is never 0 and the check s·(d + 257·[no
   * value]) = 0 forces s = 0 there — a selector cannot pick a padding column as its row's maximum,
   * and no committed selector entry is left free.
   */
  static final long SELECTOR_PAD = 257;

  private Relations() {}

  static GoldilocksExt2[] prefix(GoldilocksExt2[] z, int n) {
    return Arrays.copyOf(z, n);
  }

  static GoldilocksExt2[] range(GoldilocksExt2[] z, int from, int to) {
    return Arrays.copyOfRange(z, from, to);
  }

  /** A weight or relation multiplier E_c: ε_c of a requantizing op, 1 for an output. */
  static long channelMultiplier(IntegerOp op, int channel) {
    Requantization rq = op.requantization();
    return rq == null ? 1 : rq.multiplier(channel);
  }

  /**
   * (E⊙z)~(r) of a requantizing op from its committed rows at r: with χ the indicator of the
   * committed region, ε_c·z + 2^(s−1) = 2^s·(lo + v) + e wherever values are committed and 0 = 0
   * beyond, so (E⊙z)~ = 2^s·(lo·χ̃ + ṽ) + ẽ − 2^(s−1)·χ̃. The region is the vectors' committed rows
   * in their stored order, so χ̃ is taken at the stored point of r.
   */
  static GoldilocksExt2 requantClaim(
      WitnessPlan plan, int op, Requantization rq, GoldilocksExt2[] r, Opening out) {
    WitnessPlan.Vec[] v = plan.vectors[op];
    int b = plan.logWidth;
    GoldilocksExt2[] stored = v[0].stored(r);
    GoldilocksExt2 chi = Multilinear.eqPrefixSum(range(stored, b, stored.length), v[0].rows());
    GoldilocksExt2 value = out.value(v[WitnessPlan.V], r, b);
    GoldilocksExt2 e = GoldilocksExt2.ZERO;
    for (int c = plan.limbs[op] - 1; c >= 0; c--) {
      e =
          e.mulBase(1L << LookupTable.REMAINDER_LIMB_BITS)
              .add(out.value(v[WitnessPlan.LIMBS + c], r, b));
    }
    GoldilocksExt2 q = chi.mulBase(Goldilocks.fromSigned(rq.activation().low())).add(value);
    return q.mulBase(1L << rq.shift()).add(e).sub(chi.mulBase(rq.roundingOffset()));
  }

  /**
   * The padding indicator of a layout (1 at the physical positions of its domain that hold no
   * value) restricted to a block of 2^logRows witness rows starting {@code rowOffset} rows into the
   * vector (aligned to 2^logRows), evaluated at the block-local point z (log B + logRows
   * coordinates). The value indicator is [s &lt; S]·[c &lt; C] over (spatial, channel) bits; the
   * block's higher bits are the binary digits of rowOffset / 2^logRows.
   */
  static GoldilocksExt2 paddingIndicator(
      WitnessPlan.Layout l, GoldilocksExt2[] z, int rowOffset, int logRows, int logWidth) {
    int dom = l.domainBits();
    GoldilocksExt2[] point = new GoldilocksExt2[dom];
    int local = logWidth + logRows;
    for (int i = 0; i < dom; i++) {
      if (i < local) {
        point[i] = z[i];
      } else {
        long bit = ((long) rowOffset >>> logRows) >>> (i - local) & 1;
        point[i] = bit == 1 ? GoldilocksExt2.ONE : GoldilocksExt2.ZERO;
      }
    }
    int sb = l.strideBits();
    GoldilocksExt2 real =
        Multilinear.eqPrefixSum(prefix(point, sb), l.spatial())
            .mul(Multilinear.eqPrefixSum(range(point, sb, dom), l.channels()));
    return GoldilocksExt2.ONE.sub(real);
  }

  /** A tensor's logical int values in its physical layout, zero-padded to its domain. */
  static long[] physical(WitnessPlan.Layout l, long[] logical) {
    long[] out = new long[1 << l.domainBits()];
    for (int i = 0; i < logical.length; i++) {
      out[l.physical(i)] = Goldilocks.fromSigned(logical[i]);
    }
    return out;
  }

  static long[] physical(WitnessPlan.Layout l, byte[] logical) {
    long[] out = new long[1 << l.domainBits()];
    for (int i = 0; i < logical.length; i++) {
      out[l.physical(i)] = Goldilocks.fromSigned(logical[i]);
    }
    return out;
  }

  /** The public input tensors' values, by tensor id, split from the statement's input. */
  static byte[][] splitInputs(io.vouch.onnx.quant.IntegerModel model, byte[] input) {
    byte[][] out = new byte[model.inputs().size()][];
    int offset = 0;
    for (int i = 0; i < out.length; i++) {
      var in = model.inputs().get(i);
      int n = in.shape().size() * in.bytesPerValue();
      out[i] = Arrays.copyOfRange(input, offset, offset + n);
      offset += n;
    }
    return out;
  }

  /**
   * The public tensors' int8 values by tensor id (null for the others): the inputs, split from the
   * statement's input (an index input's as its 4-byte values), and what the verifier computes from
   * them (embeddings, tables and elementwise ops of public tensors).
   */
  static byte[][] publicValues(WitnessPlan plan, byte[] input) {
    var model = plan.model;
    int first = model.inputs().size();
    byte[][] out = new byte[first + model.ops().size()][];
    System.arraycopy(splitInputs(model, input), 0, out, 0, first);
    for (int j = 0; j < model.ops().size(); j++) {
      if (plan.isPublic(first + j)) {
        out[first + j] = io.vouch.onnx.quant.IntegerEngine.evaluate(model, j, out);
      }
    }
    return out;
  }

  /** The model outputs' values by op index (null for others), split from the statement. */
  static long[][] splitOutputs(io.vouch.onnx.quant.IntegerModel model, long[] logits) {
    long[][] out = new long[model.ops().size()][];
    int offset = 0;
    int first = model.inputs().size();
    for (var o : model.outputs()) {
      int n = model.shapeOf(o.tensor()).size();
      out[o.tensor() - first] = Arrays.copyOfRange(logits, offset, offset + n);
      offset += n;
    }
    return out;
  }

  /**
   * Whether op's multipliers go per output (the spatial index) rather than per channel: a dense op
   * over rows with a multiplier per output.
   */
  static boolean scalesPerOutput(IntegerOp op) {
    return op instanceof DenseOp d
        && d.rows() > 1
        && d.requantization() != null
        && !d.requantization().isUniform();
  }

  /** The bias op j's relation subtracts (one value for all, or one per value); null for none. */
  static long[] biasOf(IntegerOp op) {
    return switch (op) {
      case DenseOp d -> denseBias(d);
      case ConvOp c -> c.bias();
      case AveragePoolOp a -> a.bias();
      case ElementwiseOp e -> e.bias();
      case LayerNormOp ln -> layerNormBias(ln);
      default -> null;
    };
  }

  /**
   * Σ_i eq(r, phys(i))·E_{c(i)}·b_i over a tensor's values, b per value (or one for all): the bias
   * term of a relation at r. With phys(c·S + s) = c·T + s, eq(r, c·T + s) = eq(r_lo, s)·eq(r_hi,
   * c): two small eq tables (T and the channels' entries) instead of one over the whole domain. The
   * verifier takes the same term from its prepared key's factors ({@link PreparedKey#biasTerm});
   * this value-by-value sum is their reference (tested equal).
   */
  static GoldilocksExt2 biasTerm(
      WitnessPlan.Layout l, GoldilocksExt2[] r, long[] bias, IntegerOp op, boolean scaleByChannel) {
    int low = l.strideBits();
    long[] eqLo = Multilinear.eqTable(prefix(r, low));
    long[] eqHi = Multilinear.eqTable(range(r, low, r.length));
    int spatial = l.spatial();
    boolean perSpatial = scaleByChannel && scalesPerOutput(op);
    long acc0 = 0, acc1 = 0;
    for (int c = 0; c < l.channels(); c++) {
      long s0 = 0, s1 = 0;
      for (int s = 0; s < spatial; s++) {
        long b = bias.length == 1 ? bias[0] : bias[c * spatial + s];
        if (b == 0) {
          continue;
        }
        long v = Goldilocks.fromSigned(b);
        if (perSpatial) {
          v = Goldilocks.mul(v, op.requantization().multiplier(s));
        }
        s0 = Goldilocks.add(s0, Goldilocks.mul(eqLo[2 * s], v));
        s1 = Goldilocks.add(s1, Goldilocks.mul(eqLo[2 * s + 1], v));
      }
      if (s0 == 0 && s1 == 0) {
        continue;
      }
      if (scaleByChannel && !perSpatial) {
        long e = channelMultiplier(op, c);
        s0 = Goldilocks.mul(s0, e);
        s1 = Goldilocks.mul(s1, e);
      }
      long h0 = eqHi[2 * c], h1 = eqHi[2 * c + 1];
      acc0 = Goldilocks.add(acc0, GoldilocksExt2.mul0(s0, s1, h0, h1));
      acc1 = Goldilocks.add(acc1, GoldilocksExt2.mul1(s0, s1, h0, h1));
    }
    return new GoldilocksExt2(acc0, acc1);
  }

  /** A layer normalization's shift b, one value per output value (its rows share it). */
  static long[] layerNormBias(LayerNormOp ln) {
    long[] b = new long[ln.rowCount() * ln.length()];
    long[] beta = ln.beta();
    for (int r = 0; r < ln.rowCount(); r++) {
      System.arraycopy(beta, 0, b, r * ln.length(), ln.length());
    }
    return b;
  }

  /** A dense op's bias, one value per output value (several rows share one bias per output). */
  static long[] denseBias(DenseOp d) {
    if (d.rows() == 1) {
      return d.bias();
    }
    long[] b = new long[d.rows() * d.outputs()];
    long[] bias = d.bias();
    for (int r = 0; r < d.rows(); r++) {
      System.arraycopy(bias, 0, b, r * d.outputs(), d.outputs());
    }
    return b;
  }

  /**
   * The sum-check table of a dense op over several rows at its output point r: g[row·T + k] =
   * u[k]·eq(r_rows, row), u the fold over the outputs (the spatial part of r).
   */
  static long[] denseRowsTable(WitnessPlan plan, DenseOp d, int j, long[] u, GoldilocksExt2[] r) {
    WitnessPlan.Layout in = plan.layoutOf(d.input());
    WitnessPlan.Layout out = plan.layoutOf(plan.model.tensorOf(j));
    long[] eqRow = Multilinear.eqTable(range(r, out.strideBits(), r.length));
    long[] g = new long[2 << in.domainBits()];
    int t = in.stride();
    for (int row = 0; row < d.rows(); row++) {
      long e0 = eqRow[2 * row], e1 = eqRow[2 * row + 1];
      for (int k = 0; k < d.inputSize(); k++) {
        long u0 = u[2 * k], u1 = u[2 * k + 1];
        g[2 * (row * t + k)] = GoldilocksExt2.mul0(u0, u1, e0, e1);
        g[2 * (row * t + k) + 1] = GoldilocksExt2.mul1(u0, u1, e0, e1);
      }
    }
    return g;
  }

  /** g̃(ρ) of {@link #denseRowsTable}: ũ(ρ_k)·Σ_row eq(r_rows, row)·eq(ρ_rows, row). */
  static GoldilocksExt2 denseRowsAt(
      WitnessPlan plan, DenseOp d, int j, long[] u, GoldilocksExt2[] r, GoldilocksExt2[] rho) {
    WitnessPlan.Layout in = plan.layoutOf(d.input());
    WitnessPlan.Layout out = plan.layoutOf(plan.model.tensorOf(j));
    GoldilocksExt2 uAt =
        Multilinear.innerProduct(u, Multilinear.eqTable(prefix(rho, in.strideBits())));
    GoldilocksExt2 rows =
        channelDot(
            Multilinear.eqTable(range(r, out.strideBits(), r.length)),
            Multilinear.eqTable(range(rho, in.strideBits(), rho.length)),
            d.rows());
    return uAt.mul(rows);
  }

  /** Σ_{c &lt; channels} a[c]·b[c] for two interleaved eq tables (channel parts of two points). */
  static GoldilocksExt2 channelDot(long[] a, long[] b, int channels) {
    long s0 = 0, s1 = 0;
    for (int c = 0; c < channels; c++) {
      s0 = Goldilocks.add(s0, GoldilocksExt2.mul0(a[2 * c], a[2 * c + 1], b[2 * c], b[2 * c + 1]));
      s1 = Goldilocks.add(s1, GoldilocksExt2.mul1(a[2 * c], a[2 * c + 1], b[2 * c], b[2 * c + 1]));
    }
    return new GoldilocksExt2(s0, s1);
  }

  /** Σ_{c &lt; channels} w[c]·a[c]·b[c] with integer weights. */
  static GoldilocksExt2 weightedChannelDot(long[] a, long[] b, int channels, long[] w) {
    long s0 = 0, s1 = 0;
    for (int c = 0; c < channels; c++) {
      long x0 = GoldilocksExt2.mul0(a[2 * c], a[2 * c + 1], b[2 * c], b[2 * c + 1]);
      long x1 = GoldilocksExt2.mul1(a[2 * c], a[2 * c + 1], b[2 * c], b[2 * c + 1]);
      long m = Goldilocks.fromSigned(w[c]);
      s0 = Goldilocks.add(s0, Goldilocks.mul(x0, m));
      s1 = Goldilocks.add(s1, Goldilocks.mul(x1, m));
    }
    return new GoldilocksExt2(s0, s1);
  }

  /** Whether elementwise input j has one multiplier E_c·m_j[c] for every channel. */
  static boolean uniformInput(ElementwiseOp e, int j) {
    int channels = e.outputShape().channels();
    long first = Goldilocks.mul(Goldilocks.fromSigned(e.multiplier(j, 0)), channelMultiplier(e, 0));
    for (int c = 1; c < channels; c++) {
      long m = Goldilocks.mul(Goldilocks.fromSigned(e.multiplier(j, c)), channelMultiplier(e, c));
      if (m != first) {
        return false;
      }
    }
    return true;
  }

  /** E_c·m_j[c] per channel, as residues. */
  static long[] elementwiseMultipliers(ElementwiseOp e, int j) {
    int channels = e.outputShape().channels();
    long[] m = new long[channels];
    for (int c = 0; c < channels; c++) {
      m[c] = Goldilocks.mul(Goldilocks.fromSigned(e.multiplier(j, c)), channelMultiplier(e, c));
    }
    return m;
  }

  /** The vectors every op needs at the shared output point, in a fixed order. */
  static List<WitnessPlan.Vec> outputPointVectors(WitnessPlan plan) {
    Set<WitnessPlan.Vec> set = new LinkedHashSet<>();
    var model = plan.model;
    for (int j = 0; j < model.ops().size(); j++) {
      IntegerOp op = model.ops().get(j);
      WitnessPlan.Vec[] v = plan.vectors[j];
      if (plan.isPublic(model.tensorOf(j))) {
        continue; // computed by the verifier
      }
      if (plan.requantization(j) != null) {
        set.add(v[WitnessPlan.V]);
        for (int c = 0; c < plan.limbs[j]; c++) {
          set.add(v[WitnessPlan.LIMBS + c]);
        }
      }
      if (plan.prePool[j]) {
        set.add(v[0]); // the accumulators z: the Conv's claim at r*
      }
      if (op instanceof MaxPoolOp || op instanceof WiringOp) {
        int from = op instanceof MaxPoolOp ? plan.poolY(j) : 0;
        set.addAll(Arrays.asList(v).subList(from, v.length));
      }
      if (op instanceof SoftmaxOp sm && v.length > 0) {
        // y, d, e and the remainder's limbs (not the selector, nor the per-row vectors); the input
        // where it is committed
        for (int k = WitnessPlan.SM_Y; k < WitnessPlan.smSelector(sm); k++) {
          set.add(v[k]);
        }
        if (!plan.isPublic(sm.input())) {
          set.add(plan.valuesOf(sm.input()));
        }
      }
      if (v.length > 0 && isInt8Output(model, j)) {
        set.add(v[0]); // checked against the statement's output at the output point
      }
      if (op instanceof ElementwiseOp e) {
        int[] in = e.inputs();
        for (int i = 0; i < in.length; i++) {
          if (uniformInput(e, i) && !plan.isPublic(in[i])) {
            set.add(plan.valuesOf(in[i]));
          }
        }
      }
    }
    return new ArrayList<>(set);
  }

  /** Σ_c 2^(20c)·ṽ_c(r) of the remainder limbs v[from..from + limbs) at r, from a point group. */
  static GoldilocksExt2 limbsAt(
      Opening g, WitnessPlan.Vec[] v, int from, int limbs, GoldilocksExt2[] r, int logWidth) {
    GoldilocksExt2 acc = GoldilocksExt2.ZERO;
    for (int c = limbs - 1; c >= 0; c--) {
      acc =
          acc.mulBase(1L << LookupTable.REMAINDER_LIMB_BITS).add(g.value(v[from + c], r, logWidth));
    }
    return acc;
  }

  /**
   * The table of a fused MaxPool's requantization link over its output's domain: eq(r, c·T + s)·ε_c
   * for the channels c &lt; C, 0 beyond (y is zero there).
   */
  static long[] scaledEq(WitnessPlan.Layout l, GoldilocksExt2[] r, Requantization rq) {
    long[] g = Multilinear.eqTable(r);
    int stride = l.stride();
    for (int c = 0; c < (g.length / 2) / stride; c++) {
      long e = c < l.channels() ? rq.multiplier(c) : 0;
      for (int s = 0; s < stride; s++) {
        int at = 2 * (c * stride + s);
        g[at] = Goldilocks.mul(g[at], e);
        g[at + 1] = Goldilocks.mul(g[at + 1], e);
      }
    }
    return g;
  }

  /**
   * The multilinear of {@link #scaledEq} at ρ: eq(r_s, ρ_s)·Σ_{c &lt; C} ε_c·eq(r_c, c)·eq(ρ_c, c).
   */
  static GoldilocksExt2 scaledEqAt(
      WitnessPlan.Layout l, GoldilocksExt2[] r, Requantization rq, GoldilocksExt2[] rho) {
    int sb = l.strideBits();
    long[] eps = new long[l.channels()];
    for (int c = 0; c < eps.length; c++) {
      eps[c] = rq.multiplier(c);
    }
    return Multilinear.eq(prefix(r, sb), prefix(rho, sb))
        .mul(
            weightedChannelDot(
                Multilinear.eqTable(range(r, sb, r.length)),
                Multilinear.eqTable(range(rho, sb, rho.length)),
                l.channels(),
                eps));
  }

  /** (½, ..., ½): eq with it is 2^−n everywhere, so a multilinear there is the cube's mean. */
  static GoldilocksExt2[] half(int n) {
    GoldilocksExt2[] h = new GoldilocksExt2[n];
    java.util.Arrays.fill(h, GoldilocksExt2.of(Goldilocks.inverse(2)));
    return h;
  }

  /** z padded with zero coordinates (or cut) to n coordinates. */
  static GoldilocksExt2[] padded(GoldilocksExt2[] z, int n) {
    GoldilocksExt2[] out = new GoldilocksExt2[n];
    for (int i = 0; i < n; i++) {
      out[i] = i < z.length ? z[i] : GoldilocksExt2.ZERO;
    }
    return out;
  }

  /** Whether op j's int8 tensor is a model output (its values are the statement's). */
  static boolean isInt8Output(io.vouch.onnx.quant.IntegerModel model, int j) {
    IntegerOp op = model.ops().get(j);
    if (op.outputsAccumulators()) {
      return false;
    }
    int id = model.tensorOf(j);
    for (var o : model.outputs()) {
      if (o.tensor() == id) {
        return true;
      }
    }
    return false;
  }

  /** The vectors whose rows one GKR instance's blocks read, with only those rows, in order. */
  static List<WitnessPlan.Vec> lookupVectors(WitnessPlan plan, WitnessPlan.Instance instance) {
    Set<WitnessPlan.Vec> set = new LinkedHashSet<>();
    for (WitnessPlan.Block block : instance.blocks()) {
      for (WitnessPlan.Vec v : plan.slots.get(block.slot()).columns()) {
        set.add(new WitnessPlan.Vec(v.firstRow() + block.rowOffset(), 1 << block.logRows(), 0));
      }
    }
    return new ArrayList<>(set);
  }

  /** Which ops have committed weights, and their index among the weight commitments. */
  static int[] weightIndex(io.vouch.onnx.quant.IntegerModel model) {
    int[] index = new int[model.ops().size()];
    int n = 0;
    for (int j = 0; j < index.length; j++) {
      IntegerOp op = model.ops().get(j);
      index[j] = op instanceof DenseOp || op instanceof ConvOp ? n++ : -1;
    }
    return index;
  }

  /** Rows and columns of an op's committed weight matrix. */
  static int[] weightShape(WitnessPlan plan, int j) {
    IntegerOp op = plan.model.ops().get(j);
    return switch (op) {
      case DenseOp d when d.rows() > 1 ->
          new int[] {WitnessPlan.nextPowerOfTwo(d.outputs()), plan.layoutOf(d.input()).stride()};
      case DenseOp d ->
          new int[] {
            WitnessPlan.nextPowerOfTwo(d.outputs()),
            WitnessPlan.nextPowerOfTwo(plan.layoutOf(d.input()).physicalLength())
          };
      case ConvOp c ->
          new int[] {
            WitnessPlan.nextPowerOfTwo(c.outChannels()),
            WitnessPlan.nextPowerOfTwo((long) c.groupInputChannels() * c.window().kernelSize())
          };
      default -> throw new IllegalArgumentException("op " + j + " has no weights");
    };
  }

  /**
   * The fold coefficients of a weighted op at its output point r: eq(r_c, co)·E_co over the weight
   * matrix's rows (r_c the channel part of r; a dense layer's channels are its outputs).
   */
  static long[] foldCoefficients(WitnessPlan plan, int j, GoldilocksExt2[] r) {
    IntegerOp op = plan.model.ops().get(j);
    WitnessPlan.Layout out = plan.layoutOf(plan.model.tensorOf(j));
    int rows = weightShape(plan, j)[0];
    int channels = out.channels();
    long[] eqC = Multilinear.eqTable(range(r, out.strideBits(), r.length));
    if (op instanceof DenseOp d && d.rows() > 1) {
      // the outputs are the spatial index (one row per channel), one multiplier
      channels = d.outputs();
      eqC = Multilinear.eqTable(prefix(r, out.strideBits()));
    }
    long[] g = new long[2 * rows];
    for (int co = 0; co < channels; co++) {
      long e = plan.prePool[j] ? 1 : channelMultiplier(op, co);
      g[2 * co] = Goldilocks.mul(eqC[2 * co], e);
      g[2 * co + 1] = Goldilocks.mul(eqC[2 * co + 1], e);
    }
    return g;
  }

  /** The int8 weights of a weighted op laid out as its committed matrix. */
  static byte[] weightMatrix(WitnessPlan plan, int j) {
    IntegerOp op = plan.model.ops().get(j);
    int[] shape = weightShape(plan, j);
    byte[] m = new byte[shape[0] * shape[1]];
    switch (op) {
      case DenseOp d when d.rows() > 1 -> {
        byte[] w = d.weightsView();
        for (int o = 0; o < d.outputs(); o++) {
          System.arraycopy(w, o * d.inputSize(), m, o * shape[1], d.inputSize());
        }
      }
      case DenseOp d -> {
        WitnessPlan.Layout in = plan.layoutOf(d.input());
        byte[] w = d.weightsView();
        for (int o = 0; o < d.outputs(); o++) {
          for (int l = 0; l < d.inputSize(); l++) {
            m[o * shape[1] + in.physical(l)] = w[o * d.inputSize() + l];
          }
        }
      }
      case ConvOp c -> {
        int per = c.groupInputChannels() * c.window().kernelSize();
        byte[] w = c.weightsView();
        for (int co = 0; co < c.outChannels(); co++) {
          System.arraycopy(w, co * per, m, co * shape[1], per);
        }
      }
      default -> throw new IllegalArgumentException("op " + j + " has no weights");
    }
    return m;
  }

  /** The groups of a conv (1 for dense). */
  static int groups(IntegerOp op) {
    return op instanceof ConvOp c ? c.groups() : 1;
  }
}
