package io.vouch.zk.mlp;

import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.LayerNormOp;
import io.vouch.onnx.quant.MaxPoolOp;
import io.vouch.onnx.quant.Requantization;
import io.vouch.onnx.quant.SoftmaxOp;
import io.vouch.onnx.quant.TableOp;
import io.vouch.onnx.quant.TensorShape;
import io.vouch.onnx.quant.Trace;
import io.vouch.onnx.quant.WiringOp;
import io.vouch.zk.exec.Parallel;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.lookup.FunctionTable;
import io.vouch.zk.lookup.LookupTable;
import io.vouch.zk.lookup.Multiplicities;
import io.vouch.zk.lookup.Table;

/**
 * The prover's witness matrix ({@link WitnessPlan} says where everything goes), its lookup
 * multiplicities and the leaves of the lookup GKR.
 */
final class Witness {
  private Witness() {}

  /** The witness matrix, row-major (rows × width residues). */
  static long[] build(WitnessPlan plan, Trace trace) {
    IntegerModel model = plan.model;
    int width = plan.width;
    long[] w = new long[plan.rowCount * width];
    // each op writes only its own vectors' rows: the ops run on both cores, in any order
    Parallel.forRange(
        model.ops().size(),
        1,
        (from, to, who) -> {
          for (int j = from; j < to; j++) {
            opRows(plan, trace, w, j);
          }
        });
    return w;
  }

  /** Op j's committed vectors in w. */
  private static void opRows(WitnessPlan plan, Trace trace, long[] w, int j) {
    IntegerModel model = plan.model;
    int width = plan.width;
    int first = model.inputs().size();
    IntegerOp op = model.ops().get(j);
    int id = first + j;
    WitnessPlan.Vec[] v = plan.vectors[j];
    if (v.length == 0) {
      return; // logits or a public tensor: nothing committed
    }
    WitnessPlan.Layout l = plan.layoutOf(id);
    Requantization rq = plan.requantization(j);
    if (plan.prePool[j]) {
      long[] z = trace.accumulatorsOf(id);
      int base = v[0].firstRow() * width;
      for (int i = 0; i < z.length; i++) {
        w[base + l.stored(i)] = Goldilocks.fromSigned(z[i]);
      }
    } else if (plan.fusedPool(j)) {
      fusedPoolRows(plan, w, j, (MaxPoolOp) op, trace);
    } else if (rq != null) {
      requantRows(w, width, v, l, op, rq, trace.accumulatorsOf(id), plan.limbs[j]);
      if (op instanceof LayerNormOp ln) {
        layerNormRows(plan, w, v, l, ln, trace.int8(ln.input()));
      }
    } else if (op instanceof MaxPoolOp m) {
      maxPoolRows(w, width, v, l, m, trace.int8(id), trace.int8(m.input()));
    } else if (op instanceof SoftmaxOp sm) {
      softmaxRows(plan, w, v, l, sm, trace.int8(sm.input()), trace.int8(id), plan.limbs[j]);
    } else if (op instanceof WiringOp || op instanceof TableOp) {
      byte[] y = trace.int8(id);
      int base = v[0].firstRow() * width;
      for (int i = 0; i < y.length; i++) {
        w[base + l.stored(i)] = Goldilocks.fromSigned(y[i]);
      }
    }
  }

  private static void requantRows(
      long[] w,
      int width,
      WitnessPlan.Vec[] v,
      WitnessPlan.Layout l,
      IntegerOp op,
      Requantization rq,
      long[] z,
      int limbs) {
    int committed = v[0].rows() * width;
    int[] base = new int[v.length];
    for (int k = 0; k < v.length; k++) {
      base[k] = v[k].firstRow() * width;
    }
    // positions holding no value (z = 0): q = 0, e = 2^(s−1)
    for (int p = 0; p < committed; p++) {
      put(w, base, p, rq, 0, 0, limbs);
    }
    for (int i = 0; i < z.length; i++) {
      put(w, base, l.stored(i), rq, z[i], op.multiplierIndex(i), limbs);
    }
  }

  /** a, v = q − lo, e_0.. of one accumulator, as residues, at stored index p. */
  private static void put(
      long[] w, int[] base, int p, Requantization rq, long z, int channel, int limbs) {
    long scaled = rq.multiplier(channel) * z + rq.roundingOffset();
    long q = scaled >> rq.shift();
    long e = scaled - (q << rq.shift());
    int lo = rq.activation().low();
    long v = q - lo;
    if (v < -LookupTable.CLAMP_LIMIT || v >= LookupTable.CLAMP_LIMIT) {
      throw new IllegalStateException("q = " + q + " outside the provable range |q − lo| < 2^17");
    }
    w[base[WitnessPlan.A] + p] = Goldilocks.fromSigned(rq.activation().apply(q));
    w[base[WitnessPlan.V] + p] = Goldilocks.fromSigned(v);
    int bits = LookupTable.REMAINDER_LIMB_BITS;
    for (int c = 0; c < limbs; c++) {
      long limb = e >>> (bits * c); // the top limb keeps every remaining bit
      w[base[WitnessPlan.LIMBS + c] + p] = c < limbs - 1 ? limb & ((1L << bits) - 1) : limb;
    }
  }

  /**
   * A MaxPool over a pre-pool Conv's accumulators z: y = max_k z_k per window, its requantization's
   * a, v and limbs, then y and the limbs of every d_k = y − z_k. The requantized y must be the
   * engine's int8 output (requantization is non-decreasing, so requant(max z) = max requant(z)); a
   * mismatch is a bug, not a witness to prove.
   */
  private static void fusedPoolRows(WitnessPlan plan, long[] w, int j, MaxPoolOp m, Trace trace) {
    int width = plan.width;
    int id = plan.model.tensorOf(j);
    WitnessPlan.Vec[] v = plan.vectors[j];
    WitnessPlan.Layout l = plan.layoutOf(id);
    long[] z = trace.accumulatorsOf(m.input());
    byte[] expected = trace.int8(id);
    TensorShape in = m.inputShape();
    TensorShape out = m.outputShape();
    var win = m.window();
    int positions = out.spatial();
    int kernel = win.kernelSize();
    long[] y = new long[out.size()];
    long[] zk = new long[kernel];
    int nd = plan.diffLimbs(j);
    int yBase = v[plan.poolY(j)].firstRow() * width;
    for (int i = 0; i < y.length; i++) {
      int c = i / positions, p = i % positions;
      long max = Long.MIN_VALUE;
      for (int k = 0; k < kernel; k++) {
        zk[k] = z[c * in.spatial() + win.source(in.height(), in.width(), out.width(), p, k)];
        max = Math.max(max, zk[k]);
      }
      y[i] = max;
      int phys = l.stored(i);
      w[yBase + phys] = Goldilocks.fromSigned(max);
      for (int k = 0; k < kernel; k++) {
        putLimbs(w, width, v, plan.poolD(j, k), nd, phys, max - zk[k]);
      }
      if (plan.pooledRq[j].apply(max, c) != expected[i]) {
        throw new IllegalStateException(
            "op " + j + ": the pooled accumulator requantizes to another value than the engine's");
      }
    }
    requantRows(w, width, v, l, m, plan.pooledRq[j], y, plan.limbs[j]);
  }

  private static void maxPoolRows(
      long[] w,
      int width,
      WitnessPlan.Vec[] v,
      WitnessPlan.Layout l,
      MaxPoolOp m,
      byte[] y,
      byte[] x) {
    TensorShape in = m.inputShape();
    TensorShape out = m.outputShape();
    var win = m.window();
    int positions = out.spatial();
    for (int i = 0; i < y.length; i++) {
      int c = i / positions, p = i % positions;
      int phys = l.stored(i);
      w[v[WitnessPlan.Y].firstRow() * width + phys] = Goldilocks.fromSigned(y[i]);
      for (int k = 0; k < win.kernelSize(); k++) {
        int s = win.source(in.height(), in.width(), out.width(), p, k);
        int xk = s < 0 ? Byte.MIN_VALUE : x[c * in.spatial() + s];
        w[v[WitnessPlan.D + k].firstRow() * width + phys] = Goldilocks.fromSigned(y[i] - xk);
      }
    }
  }

  /**
   * A softmax's vectors: y, d = m − x, e = exp[d], the limbs of rem = 2Q·e + E − 2E·y and of 2E − 1
   * − rem, the selector s (1 at each row's first maximum) and the row maxima m (in the per-row
   * layout).
   */
  private static void softmaxRows(
      WitnessPlan plan,
      long[] w,
      WitnessPlan.Vec[] v,
      WitnessPlan.Layout l,
      SoftmaxOp sm,
      byte[] x,
      byte[] y,
      int limbs) {
    int width = plan.width;
    int n = sm.length();
    long[] exp = sm.exp();
    long q2 = 2L * sm.outputMax();
    WitnessPlan.Layout rl = WitnessPlan.rowLayout(sm, plan.logWidth);
    int mBase = v[v.length - 1].firstRow() * width;
    int sBase = v[WitnessPlan.smSelector(sm)].firstRow() * width;
    long[] e = new long[n];
    for (int r = 0; r < sm.rowCount(); r++) {
      int base = r * n;
      int m = Byte.MIN_VALUE, first = 0;
      for (int j = 0; j < n; j++) {
        if (x[base + j] > m) {
          m = x[base + j];
          first = j;
        }
      }
      w[sBase + l.stored(base + first)] = 1;
      long sum = 0;
      for (int j = 0; j < n; j++) {
        e[j] = exp[m - x[base + j]];
        sum += e[j];
      }
      w[mBase + rl.stored(r)] = Goldilocks.fromSigned(m);
      for (int j = 0; j < n; j++) {
        int p = l.stored(base + j);
        long rem = q2 * e[j] + sum - 2 * sum * y[base + j];
        w[v[WitnessPlan.SM_Y].firstRow() * width + p] = Goldilocks.fromSigned(y[base + j]);
        w[v[WitnessPlan.SM_D].firstRow() * width + p] = m - x[base + j];
        w[v[WitnessPlan.SM_E].firstRow() * width + p] = e[j];
        putLimbs(w, width, v, WitnessPlan.SM_REM, limbs, p, rem);
        putLimbs(w, width, v, WitnessPlan.SM_REM + limbs, limbs, p, 2 * sum - 1 - rem);
      }
    }
  }

  /** A layer normalization's per-row limbs (σ, s1, 2σ − s1, ρ, r1, σ − 1 − r1), packed. */
  private static void layerNormRows(
      WitnessPlan plan,
      long[] w,
      WitnessPlan.Vec[] v,
      WitnessPlan.Layout l,
      LayerNormOp ln,
      byte[] x) {
    int width = plan.width;
    MatrixBits mb = MatrixBits.of(l, ln.batch(), ln.rows(), ln.length());
    int cube = 1 << (mb.rowBits() + mb.batchBits());
    int base = v[v.length - 1].firstRow() * width;
    int n = ln.length();
    long two = 1L << ln.precision();
    int[] limbs = WitnessPlan.lnLimbs(ln);
    for (int b = 0; b < ln.batch(); b++) {
      for (int i = 0; i < ln.rows(); i++) {
        int r = b * ln.rows() + i;
        long sum = 0;
        for (int j = 0; j < n; j++) {
          sum += x[r * n + j];
        }
        long var = 0;
        for (int j = 0; j < n; j++) {
          long c = (long) n * x[r * n + j] - sum;
          var += c * c;
        }
        long sigma = LayerNormOp.isqrt(var + ln.epsilon());
        long rho = two / sigma;
        long s1 = var + ln.epsilon() - sigma * sigma;
        long r1 = two - sigma * rho;
        int at = i | (b << mb.rowBits());
        long[] parts = {sigma, s1, 2 * sigma - s1, rho, r1, sigma - 1 - r1};
        for (int part = 0; part < parts.length; part++) {
          long value = parts[part];
          int from = WitnessPlan.lnFrom(ln, part);
          for (int c = 0; c < limbs[part]; c++) {
            w[base + (from + c) * cube + at] =
                (value >>> (LookupTable.LIMB_BITS * c)) & ((1L << LookupTable.LIMB_BITS) - 1);
          }
        }
      }
    }
  }

  /**
   * value = Σ_c 2^(20c)·limb_c into v[from..from + limbs) at position p (the top limb: the rest).
   */
  static void putLimbs(
      long[] w, int width, WitnessPlan.Vec[] v, int from, int limbs, int p, long value) {
    int bits = LookupTable.REMAINDER_LIMB_BITS;
    for (int c = 0; c < limbs; c++) {
      long limb = value >>> (bits * c);
      w[v[from + c].firstRow() * width + p] =
          Goldilocks.fromSigned(c < limbs - 1 ? limb & ((1L << bits) - 1) : limb);
    }
  }

  /**
   * One count per row, reused by the proofs of a thread (zeroed again after each table): a 2^20-row
   * range table would otherwise cost a 4 MB allocation per proof.
   */
  private static final ThreadLocal<int[]> COUNTS = ThreadLocal.withInitial(() -> new int[0]);

  /**
   * The multiplicities of every table the plan uses, counted sparsely: the rows a table's slots
   * touch are listed as they are first hit, so a 2^18-row clamp table costs its used rows, not a
   * pass over all of them.
   */
  static Multiplicities[] countLookups(WitnessPlan plan, long[] witness) {
    int tables = plan.tables.size();
    long[] leaves = new long[tables];
    for (WitnessPlan.Slot slot : plan.slots) {
      leaves[plan.tables.indexOf(slot.table())] += (long) slot.columns()[0].rows() * plan.width;
    }
    // tables by their leaves, most first, so that the two cores finish together
    Integer[] order = new Integer[tables];
    for (int k = 0; k < tables; k++) {
      order[k] = k;
    }
    java.util.Arrays.sort(order, (x, y) -> Long.compare(leaves[y], leaves[x]));
    Multiplicities[] out = new Multiplicities[tables];
    Parallel.forRange(
        tables,
        1,
        (from, to, who) -> {
          for (int i = from; i < to; i++) {
            out[order[i]] = countTable(plan, witness, plan.tables.get(order[i]));
          }
        });
    return out;
  }

  /** One table's multiplicities, counted in the calling thread's {@link #COUNTS}. */
  private static Multiplicities countTable(WitnessPlan plan, long[] witness, Table table) {
    int width = plan.width;
    int[] counts = COUNTS.get();
    if (counts.length < table.size()) {
      counts = new int[table.size()];
      COUNTS.set(counts);
    }
    int[] touched = new int[16];
    int used = 0;
    for (WitnessPlan.Slot slot : plan.slots) {
      if (slot.table() != table) {
        continue;
      }
      WitnessPlan.Vec[] cols = slot.columns();
      int n = cols[0].rows() * width;
      int base0 = cols[0].firstRow() * width;
      int base1 = cols.length > 1 ? cols[1].firstRow() * width : 0;
      for (int i = 0; i < n; i++) {
        long c0 = Goldilocks.toSigned(witness[base0 + i]) + slot.offsets()[0] + padding(slot, i);
        long c1 = cols.length > 1 ? Goldilocks.toSigned(witness[base1 + i]) + slot.offsets()[1] : 0;
        int row = table.indexOf(c0, c1);
        if (row >= 0) {
          if (counts[row]++ == 0) {
            if (used == touched.length) {
              touched = java.util.Arrays.copyOf(touched, 2 * used);
            }
            touched[used++] = row;
          }
        } // else only a tampered witness: its lookup will fail verification
      }
    }
    int[] rows = java.util.Arrays.copyOf(touched, used);
    java.util.Arrays.sort(rows);
    long[] c = new long[used];
    for (int i = 0; i < used; i++) {
      c[i] = counts[rows[i]];
      counts[rows[i]] = 0;
    }
    return new Multiplicities(table.size(), rows, c);
  }

  /**
   * What a slot's padding column adds to its first column at position i of its vectors: {@link
   * FunctionTable#PAD_KEY} where the layout holds no value, else 0.
   */
  static long padding(WitnessPlan.Slot slot, int i) {
    WitnessPlan.Layout l = slot.padding();
    if (l == null) {
      return 0;
    }
    return isValue(l, i) ? 0 : FunctionTable.PAD_KEY;
  }

  /** Whether physical index i of a layout holds a value. */
  static boolean isValue(WitnessPlan.Layout l, long i) {
    // the stride is a power of two: a shift and a mask, not a division per lookup leaf
    long c = i >>> l.strideBits(), s = i & (l.stride() - 1);
    return c < l.channels() && s < l.spatial();
  }

  /** The third column of a three-column table, by row. */
  private static long[] lastColumn(Table table) {
    long[] out = new long[table.size()];
    for (int row = 0; row < out.length; row++) {
      out[row] = table.entry(row, 2);
    }
    return out;
  }

  /**
   * The leaves of GKR instance {@code instance}: per block and entry the denominator α − (id + Σ_j
   * β^(j+1)·(w_j + offset_j)), interleaved K; unused leaves hold 1 and −1 alternately.
   */
  /**
   * Leaves a chunk of {@link #lookupLeaves} computes; a smaller block is computed on one thread.
   */
  static final int LEAF_CHUNK = 1 << 15;

  static long[] lookupLeaves(
      WitnessPlan plan,
      WitnessPlan.Instance instance,
      long[] witness,
      GoldilocksExt2 alpha,
      GoldilocksExt2 beta,
      java.util.Map<Table, long[]> denominators) {
    int width = plan.width;
    long leaves = 1L << instance.bits();
    long[] q = new long[Math.toIntExact(2 * leaves)];
    for (WitnessPlan.Block block : instance.blocks()) {
      WitnessPlan.Slot slot = plan.slots.get(block.slot());
      WitnessPlan.Vec[] cols = slot.columns();
      Table table = slot.table();
      int terms = cols.length;
      GoldilocksExt2[] powers = ZkProver.betaPowers(beta, terms);
      long[] b0 = new long[terms], b1 = new long[terms], offsets = new long[terms];
      int[] base = new int[terms];
      for (int j = 0; j < terms; j++) {
        b0[j] = powers[j].c0();
        b1[j] = powers[j].c1();
        offsets[j] = Goldilocks.fromSigned(slot.offsets()[j]);
        base[j] = (cols[j].firstRow() + block.rowOffset()) * width;
      }
      long id = table.id();
      int n = width << block.logRows();
      // every honest tuple is a table row: for blocks as large as their table its leaf α −
      // combined(row) is looked up (the table's denominators once per proof), and computed only
      // for a tuple in no row (a tampered witness)
      long[] rowLeaf =
          n >= table.size()
              ? denominators.computeIfAbsent(table, k -> k.denominators(alpha, beta))
              : null;
      long[] last = rowLeaf != null && terms > 2 ? lastColumn(table) : null;
      int leaf = Math.toIntExact(block.leafOffset() - instance.start());
      long a0 = alpha.c0(), a1 = alpha.c1();
      long o0 = slot.offsets()[0], o1 = terms > 1 ? slot.offsets()[1] : 0;
      long o2 = terms > 2 ? slot.offsets()[2] : 0;
      int at0 = block.rowOffset() * width;
      // positions [from, to) of the block; each leaf written by one chunk
      Parallel.Range fill =
          (from, to, who) -> {
            for (int i = from; i < to; i++) {
              long pad = padding(slot, at0 + i);
              if (rowLeaf != null) {
                long c0 = Goldilocks.toSigned(witness[base[0] + i]) + o0 + pad;
                long c1 = terms > 1 ? Goldilocks.toSigned(witness[base[1] + i]) + o1 : 0;
                int row = table.indexOf(c0, c1);
                if (row >= 0
                    && (terms < 3 || Goldilocks.toSigned(witness[base[2] + i]) + o2 == last[row])) {
                  q[2 * (leaf + i)] = rowLeaf[2 * row];
                  q[2 * (leaf + i) + 1] = rowLeaf[2 * row + 1];
                  continue;
                }
              }
              long f0 = id, f1 = 0;
              for (int j = 0; j < terms; j++) {
                long v = Goldilocks.add(witness[base[j] + i], offsets[j]);
                if (j == 0 && pad != 0) {
                  v = Goldilocks.add(v, pad);
                }
                f0 = Goldilocks.add(f0, Goldilocks.mul(b0[j], v));
                f1 = Goldilocks.add(f1, Goldilocks.mul(b1[j], v));
              }
              q[2 * (leaf + i)] = Goldilocks.sub(a0, f0);
              q[2 * (leaf + i) + 1] = Goldilocks.sub(a1, f1);
            }
          };
      if (n < LEAF_CHUNK) {
        fill.run(0, n, 0);
      } else {
        Parallel.forRange(n, LEAF_CHUNK, fill);
      }
    }
    for (long i = instance.used(); i < leaves; i++) {
      q[(int) (2 * i)] = (i & 1) == 0 ? 1 : Goldilocks.P - 1;
    }
    return q;
  }
}
