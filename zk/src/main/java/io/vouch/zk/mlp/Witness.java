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
      int base = v[0].firstRow() * width, step = storedStep(l), i = 0;
      for (int c = 0; c < l.channels(); c++) {
        for (int x = 0, p = base + firstStored(l, c); x < l.spatial(); x++, p += step) {
          w[p] = Goldilocks.fromSigned(z[i++]);
        }
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
      int base = v[0].firstRow() * width, step = storedStep(l), i = 0;
      for (int c = 0; c < l.channels(); c++) {
        for (int x = 0, p = base + firstStored(l, c); x < l.spatial(); x++, p += step) {
          w[p] = Goldilocks.fromSigned(y[i++]);
        }
      }
    }
  }

  /**
   * Where logical value c·spatial of layout l (channel c's first) is stored: {@link
   * WitnessPlan.Layout#stored} without a division; channel c's next values follow {@link
   * #storedStep} apart.
   */
  private static int firstStored(WitnessPlan.Layout l, int c) {
    return l.transposed() ? c : c * l.stride();
  }

  /** How far apart a channel's consecutive values are stored. */
  private static int storedStep(WitnessPlan.Layout l) {
    return l.transposed() ? l.channels() : 1;
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
    // positions holding no value (z = 0): q = 0, e = 2^(s−1), the same entry everywhere; written
    // only into the storage's gaps (after each channel's values, after the last channel)
    int kinds = WitnessPlan.LIMBS + limbs;
    long[] zero = new long[kinds];
    int[] at = new int[kinds];
    for (int k = 0; k < kinds; k++) {
      at[k] = k;
    }
    put(zero, at, 0, rq, 0, 0, limbs);
    WitnessPlan.Layout s = l.storage();
    for (int c = 0; c < s.channels(); c++) {
      int from = Math.min(c * s.stride() + s.spatial(), committed);
      int to = c == s.channels() - 1 ? committed : Math.min((c + 1) * s.stride(), committed);
      for (int k = 0; k < kinds; k++) {
        java.util.Arrays.fill(w, base[k] + from, base[k] + to, zero[k]);
      }
    }
    // the values (one accumulator per value of the layout), channel by channel: no division per
    // value
    boolean uniform = rq.isUniform();
    int step = storedStep(l), i = 0;
    for (int c = 0; c < l.channels(); c++) {
      for (int x = 0, p = firstStored(l, c); x < l.spatial(); x++, i++, p += step) {
        put(w, base, p, rq, z[i], uniform ? 0 : op.multiplierIndex(i), limbs);
      }
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
   * A softmax's vectors: per value y, d = m − x, e = exp[d], the limbs of rem = e·R + 2^(K−1) −
   * 2^K·y and the selector s (1 at each row's first maximum); per row (the per-row layout) the
   * limbs of R = ⌊Q·2^K/E⌋, of r1 = Q·2^K − E·R and of E − 1 − r1, and the maximum m.
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
    int k = sm.reciprocalShift();
    long scaled = (long) sm.outputMax() << k;
    int remLimbs = WitnessPlan.limbs(k);
    int recipLimbs = WitnessPlan.limbs(WitnessPlan.softmaxReciprocalBits(sm));
    int recip = WitnessPlan.smReciprocal(sm), rowRem = WitnessPlan.smRowRemainder(sm);
    WitnessPlan.Layout rl = WitnessPlan.rowLayout(sm, plan.logWidth);
    int mBase = v[v.length - 1].firstRow() * width;
    int sBase = v[WitnessPlan.smSelector(sm)].firstRow() * width;
    int yBase = v[WitnessPlan.SM_Y].firstRow() * width;
    int dBase = v[WitnessPlan.SM_D].firstRow() * width;
    int eBase = v[WitnessPlan.SM_E].firstRow() * width;
    long half = 1L << (k - 1);
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
      long reciprocal = sm.reciprocal(sum);
      long r1 = scaled - sum * reciprocal;
      int row = rl.stored(r);
      w[mBase + row] = Goldilocks.fromSigned(m);
      putLimbs(w, width, v, recip, recipLimbs, row, reciprocal);
      putLimbs(w, width, v, rowRem, limbs, row, r1);
      putLimbs(w, width, v, rowRem + limbs, limbs, row, sum - 1 - r1);
      for (int j = 0; j < n; j++) {
        int p = l.stored(base + j);
        w[yBase + p] = Goldilocks.fromSigned(y[base + j]);
        w[dBase + p] = m - x[base + j];
        w[eBase + p] = e[j];
        putLimbs(
            w,
            width,
            v,
            WitnessPlan.SM_REM,
            remLimbs,
            p,
            e[j] * reciprocal + half - ((long) y[base + j] << k));
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
   * Tables of more rows (the range tables of 21 to 24 bits, format 13) are counted in a hash table
   * sized by the fewer of their leaves and rows ({@link RowCounts}): a thread's dense array of 2^24
   * counts would hold 64 MB for the life of the thread.
   */
  static final int DENSE_COUNT_ROWS = 1 << 20;

  /**
   * The multiplicities of every table the plan uses, counted sparsely: the rows a table's slots
   * touch are listed as they are first hit, so a 2^18-row clamp table costs its used rows, not a
   * pass over all of them.
   */
  static Multiplicities[] countLookups(WitnessPlan plan, long[] witness) {
    int tables = plan.tables.size();
    long[] leaves = plan.tableLeaves;
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
    boolean dense = table.size() <= DENSE_COUNT_ROWS;
    int[] counts = dense ? COUNTS.get() : null;
    if (dense && counts.length < table.size()) {
      counts = new int[table.size()];
      COUNTS.set(counts);
    }
    RowCounts sparse =
        dense
            ? null
            : new RowCounts(Math.min(table.size(), plan.tableLeaves[plan.tables.indexOf(table)]));
    int[] touched = new int[16];
    int used = 0;
    for (WitnessPlan.Slot slot : plan.slots) {
      if (slot.table() != table) {
        continue;
      }
      WitnessPlan.Vec[] cols = slot.columns();
      int n = cols[0].rows() * width;
      boolean pair = cols.length > 1, triple = cols.length > 2;
      int base0 = cols[0].firstRow() * width;
      int base1 = pair ? cols[1].firstRow() * width : 0;
      int base2 = triple ? cols[2].firstRow() * width : 0;
      long o1 = pair ? slot.offsets()[1] : 0;
      long o2 = triple ? slot.offsets()[2] : 0;
      WitnessPlan.Layout l = slot.padding();
      // runs of positions that are all values or all padding: no padding test per position
      for (int from = 0; from < n; ) {
        int to = l == null ? n : (int) Math.min(n, runEnd(l, from));
        long o0 = slot.offsets()[0] + (l != null && !isValue(l, from) ? FunctionTable.PAD_KEY : 0);
        for (int i = from; i < to; i++) {
          long c0 = Goldilocks.toSigned(witness[base0 + i]) + o0;
          long c1 = pair ? Goldilocks.toSigned(witness[base1 + i]) + o1 : 0;
          int row =
              triple
                  ? table.indexOf(c0, c1, Goldilocks.toSigned(witness[base2 + i]) + o2)
                  : table.indexOf(c0, c1);
          if (row >= 0 && !dense) {
            sparse.add(row);
          } else if (row >= 0) {
            if (counts[row]++ == 0) {
              if (used == touched.length) {
                touched = java.util.Arrays.copyOf(touched, 2 * used);
              }
              touched[used++] = row;
            }
          } // else only a tampered witness: its lookup will fail verification
        }
        from = to;
      }
    }
    if (!dense) {
      return sparse.multiplicities(table.size());
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
   * Counts of table rows in an open-addressing hash table of at least twice as many slots as rows
   * can be hit (the fewer of a table's leaves and its rows), so a probe sequence stays short and
   * the table never fills.
   */
  static final class RowCounts {
    private final int[] keys; // row + 1; 0 = empty
    private final int[] counts;
    private final int mask;
    private final int shift;
    private int used;

    /** For at most {@code distinct} different rows (at most 2^29). */
    RowCounts(long distinct) {
      if (distinct > 1 << 29) {
        throw new IllegalArgumentException("at most 2^29 distinct rows, not " + distinct);
      }
      int bits = 4;
      while ((1L << bits) < 2 * distinct) {
        bits++;
      }
      keys = new int[1 << bits];
      counts = new int[1 << bits];
      mask = (1 << bits) - 1;
      shift = 32 - bits;
    }

    void add(int row) {
      int key = row + 1;
      int at = (key * 0x9E3779B9) >>> shift; // Fibonacci hashing: nearby rows spread out
      while (true) {
        int k = keys[at];
        if (k == key) {
          counts[at]++;
          return;
        }
        if (k == 0) {
          keys[at] = key;
          counts[at] = 1;
          used++;
          return;
        }
        at = (at + 1) & mask;
      }
    }

    /** The rows hit, ascending, with their counts. */
    Multiplicities multiplicities(int size) {
      long[] packed = new long[used];
      int n = 0;
      for (int at = 0; at < keys.length; at++) {
        if (keys[at] != 0) {
          packed[n++] = (long) (keys[at] - 1) << 32 | counts[at];
        }
      }
      java.util.Arrays.sort(packed);
      int[] rows = new int[n];
      long[] c = new long[n];
      for (int i = 0; i < n; i++) {
        rows[i] = (int) (packed[i] >>> 32);
        c[i] = packed[i] & 0xFFFFFFFFL;
      }
      return new Multiplicities(size, rows, c);
    }
  }

  /** Whether physical index i of a layout holds a value. */
  static boolean isValue(WitnessPlan.Layout l, long i) {
    // the stride is a power of two: a shift and a mask, not a division per lookup leaf
    long c = i >>> l.strideBits(), s = i & (l.stride() - 1);
    return c < l.channels() && s < l.spatial();
  }

  /**
   * One past the last index of the run from physical index i on whose indices all hold a value or
   * all hold none ({@link #isValue}): the end of i's channel's values, of the gap after them, or
   * {@link Long#MAX_VALUE} past the last channel.
   */
  static long runEnd(WitnessPlan.Layout l, long i) {
    long c = i >>> l.strideBits(), s = i & (l.stride() - 1);
    if (c >= l.channels()) {
      return Long.MAX_VALUE;
    }
    return i - s + (s < l.spatial() ? l.spatial() : l.stride());
  }

  /**
   * Leaves a chunk of {@link #lookupLeaves} computes; a smaller block is computed on one thread.
   */
  static final int LEAF_CHUNK = 1 << 15;

  /**
   * The leaves of GKR instance {@code instance}: per block and entry the denominator α − (id + Σ_j
   * β^(j+1)·(w_j + offset_j)), interleaved K; unused leaves hold 1 and −1 alternately.
   */
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
      int n = width << block.logRows();
      BlockLeaves fill =
          new BlockLeaves(plan, slot, block, instance, witness, q, alpha, beta, n, denominators);
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

  /**
   * One block's leaves, positions [from, to) per call (each leaf written by one chunk). A leaf is
   * the same field element whichever way it is found: the constant part α − id − Σ_j
   * β^(j+1)·offset_j (and −β·{@link FunctionTable#PAD_KEY} at padding) is added once per block, not
   * per leaf, and the loops are specialized by the number of columns so that the inner loop tests
   * nothing else per leaf:
   *
   * <ul>
   *   <li>a clamp table's honest pair (v, clamp(v)) is an affine function of v on each of its three
   *       pieces ({@link LookupTable#weightedInverseSum}): two products per leaf, not four;
   *   <li>a table no larger than the block: the row's denominator, computed once per proof;
   *   <li>any other tuple (or a tampered one): the sum of its products, reduced once.
   * </ul>
   */
  private static final class BlockLeaves implements Parallel.Range {
    private final long[] witness, q;
    private final Table table;
    private final int terms, leaf, at0;
    private final WitnessPlan.Layout padding;
    private final int[] base;
    private final long o0, o1, o2; // the first three columns' offsets, signed
    // −β^(j+1) per column (components 0 and 1), the constant part without and with the padding key
    private final long[] neg0, neg1;
    private final long value0, value1, pad0, pad1;
    private final long[] rowLeaf; // the table's denominators, or null
    private final LookupTable clamp; // a clamp table, or null
    // per piece of the clamp (v < 0, 0 ≤ v ≤ w, v > w): α − id (− β^2·w above w), −slope
    private final long[] pieceConst0 = new long[3], pieceConst1 = new long[3];
    private final long[] pieceSlope0 = new long[3], pieceSlope1 = new long[3];

    BlockLeaves(
        WitnessPlan plan,
        WitnessPlan.Slot slot,
        WitnessPlan.Block block,
        WitnessPlan.Instance instance,
        long[] witness,
        long[] q,
        GoldilocksExt2 alpha,
        GoldilocksExt2 beta,
        int n,
        java.util.Map<Table, long[]> denominators) {
      this.witness = witness;
      this.q = q;
      WitnessPlan.Vec[] cols = slot.columns();
      table = slot.table();
      terms = cols.length;
      leaf = Math.toIntExact(block.leafOffset() - instance.start());
      at0 = block.rowOffset() * plan.width;
      padding = slot.padding();
      GoldilocksExt2[] powers = ZkProver.betaPowers(beta, terms);
      base = new int[terms];
      neg0 = new long[terms];
      neg1 = new long[terms];
      GoldilocksExt2 value = alpha.sub(GoldilocksExt2.of(table.id()));
      for (int j = 0; j < terms; j++) {
        base[j] = (cols[j].firstRow() + block.rowOffset()) * plan.width;
        neg0[j] = Goldilocks.neg(powers[j].c0());
        neg1[j] = Goldilocks.neg(powers[j].c1());
        value = value.sub(powers[j].mulBase(Goldilocks.fromSigned(slot.offsets()[j])));
      }
      GoldilocksExt2 pad = value.sub(powers[0].mulBase(FunctionTable.PAD_KEY));
      value0 = value.c0();
      value1 = value.c1();
      pad0 = pad.c0();
      pad1 = pad.c1();
      o0 = slot.offsets()[0];
      o1 = terms > 1 ? slot.offsets()[1] : 0;
      o2 = terms > 2 ? slot.offsets()[2] : 0;
      clamp = table instanceof LookupTable t && t.isClamp() && terms == 2 ? t : null;
      if (clamp != null) {
        GoldilocksExt2 beta2 = beta.mul(beta);
        GoldilocksExt2 free = alpha.sub(GoldilocksExt2.of(table.id()));
        GoldilocksExt2[] consts = {free, free, free.sub(beta2.mulBase(clamp.ceiling()))};
        GoldilocksExt2[] slopes = {beta, beta.add(beta2), beta};
        for (int k = 0; k < 3; k++) {
          pieceConst0[k] = consts[k].c0();
          pieceConst1[k] = consts[k].c1();
          pieceSlope0[k] = Goldilocks.neg(slopes[k].c0());
          pieceSlope1[k] = Goldilocks.neg(slopes[k].c1());
        }
      }
      // every honest tuple is a table row: for blocks as large as their table its leaf α −
      // combined(row) is looked up (the table's denominators once per proof)
      rowLeaf =
          clamp == null && terms <= 3 && n >= table.size()
              ? denominators.computeIfAbsent(table, k -> k.denominators(alpha, beta))
              : null;
    }

    @Override
    public void run(int from, int to, int who) {
      if (padding == null) {
        leaves(from, to, false);
        return;
      }
      // runs of positions that are all values or all padding: no padding test per leaf
      for (int i = from; i < to; ) {
        int end = (int) Math.min(to, runEnd(padding, at0 + i) - at0);
        leaves(i, end, !isValue(padding, at0 + i));
        i = end;
      }
    }

    /** Leaves [from, to), all at values or all at padding positions. */
    private void leaves(int from, int to, boolean padded) {
      long c0 = padded ? pad0 : value0, c1 = padded ? pad1 : value1;
      long key = o0 + (padded ? FunctionTable.PAD_KEY : 0);
      if (terms == 3 && rowLeaf != null) {
        rowLeaves3(from, to, key, c0, c1);
      } else if (terms > 2) {
        computed(from, to, c0, c1);
      } else if (clamp != null) {
        clampLeaves(from, to, key, c0, c1);
      } else if (rowLeaf != null) {
        if (terms == 1) {
          rowLeaves1(from, to, key, c0, c1);
        } else {
          rowLeaves2(from, to, key, c0, c1);
        }
      } else if (terms == 1) {
        for (int i = from; i < to; i++) {
          computed1(i, c0, c1);
        }
      } else {
        for (int i = from; i < to; i++) {
          computed2(i, c0, c1);
        }
      }
    }

    /** One column: its leaf c + (−β)·w_0 for the constant part c. */
    private void computed1(int i, long c0, long c1) {
      long w0 = witness[base[0] + i];
      int at = 2 * (leaf + i);
      q[at] = Goldilocks.mulAdd(c0, neg0[0], w0);
      q[at + 1] = Goldilocks.mulAdd(c1, neg1[0], w0);
    }

    /** Two columns: c + (−β)·w_0 + (−β^2)·w_1. */
    private void computed2(int i, long c0, long c1) {
      long w0 = witness[base[0] + i], w1 = witness[base[1] + i];
      int at = 2 * (leaf + i);
      q[at] = Goldilocks.mulAdd2(c0, neg0[0], w0, neg0[1], w1);
      q[at + 1] = Goldilocks.mulAdd2(c1, neg1[0], w0, neg1[1], w1);
    }

    /** Any number of columns, one product at a time. */
    private void computed(int from, int to, long c0, long c1) {
      for (int i = from; i < to; i++) {
        long f0 = c0, f1 = c1;
        for (int j = 0; j < terms; j++) {
          long w = witness[base[j] + i];
          f0 = Goldilocks.mulAdd(f0, neg0[j], w);
          f1 = Goldilocks.mulAdd(f1, neg1[j], w);
        }
        q[2 * (leaf + i)] = f0;
        q[2 * (leaf + i) + 1] = f1;
      }
    }

    /** One column looked up in the table's denominators (the first column plus {@code key}). */
    private void rowLeaves1(int from, int to, long key, long c0, long c1) {
      for (int i = from; i < to; i++) {
        int row = table.indexOf(Goldilocks.toSigned(witness[base[0] + i]) + key, 0);
        if (row >= 0) {
          q[2 * (leaf + i)] = rowLeaf[2 * row];
          q[2 * (leaf + i) + 1] = rowLeaf[2 * row + 1];
        } else {
          computed1(i, c0, c1);
        }
      }
    }

    /** Two columns looked up in the table's denominators. */
    private void rowLeaves2(int from, int to, long key, long c0, long c1) {
      for (int i = from; i < to; i++) {
        long k0 = Goldilocks.toSigned(witness[base[0] + i]) + key;
        long k1 = Goldilocks.toSigned(witness[base[1] + i]) + o1;
        int row = table.indexOf(k0, k1);
        if (row >= 0) {
          q[2 * (leaf + i)] = rowLeaf[2 * row];
          q[2 * (leaf + i) + 1] = rowLeaf[2 * row + 1];
        } else {
          computed2(i, c0, c1);
        }
      }
    }

    /** Three columns looked up in the table's denominators (any other tuple computed). */
    private void rowLeaves3(int from, int to, long key, long c0, long c1) {
      for (int i = from; i < to; i++) {
        long k0 = Goldilocks.toSigned(witness[base[0] + i]) + key;
        long k1 = Goldilocks.toSigned(witness[base[1] + i]) + o1;
        long k2 = Goldilocks.toSigned(witness[base[2] + i]) + o2;
        int row = table.indexOf(k0, k1, k2);
        if (row >= 0) {
          q[2 * (leaf + i)] = rowLeaf[2 * row];
          q[2 * (leaf + i) + 1] = rowLeaf[2 * row + 1];
        } else {
          computed(i, i + 1, c0, c1);
        }
      }
    }

    /**
     * A clamp table's pairs: for (v, clamp(v)) the leaf α − id − β·v − β^2·clamp(v) is the piece's
     * constant minus its slope times v (v = the first column plus {@code key}); any other pair is
     * computed column by column.
     */
    private void clampLeaves(int from, int to, long key, long c0, long c1) {
      long w = clamp.ceiling();
      for (int i = from; i < to; i++) {
        long v = Goldilocks.toSigned(witness[base[0] + i]) + key;
        long a = Goldilocks.toSigned(witness[base[1] + i]) + o1;
        if (a == clamp.clamp(v)) {
          int piece = (int) ((~v >>> 63) + ((w - v) >>> 63)); // 0 below 0, 1 on [0, w], 2 above
          long x = Goldilocks.fromSigned(v);
          q[2 * (leaf + i)] = Goldilocks.mulAdd(pieceConst0[piece], pieceSlope0[piece], x);
          q[2 * (leaf + i) + 1] = Goldilocks.mulAdd(pieceConst1[piece], pieceSlope1[piece], x);
        } else {
          computed2(i, c0, c1);
        }
      }
    }
  }
}
