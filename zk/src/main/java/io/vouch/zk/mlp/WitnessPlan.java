package io.vouch.zk.mlp;

import io.vouch.onnx.quant.Activation;
import io.vouch.onnx.quant.ElementwiseOp;
import io.vouch.onnx.quant.GatherOp;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.LayerNormOp;
import io.vouch.onnx.quant.MaxPoolOp;
import io.vouch.onnx.quant.Requantization;
import io.vouch.onnx.quant.SoftmaxOp;
import io.vouch.onnx.quant.TableOp;
import io.vouch.onnx.quant.TensorShape;
import io.vouch.onnx.quant.WiringOp;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.lookup.FunctionTable;
import io.vouch.zk.lookup.LookupTable;
import io.vouch.zk.lookup.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/**
 * Where every committed value of a proof sits, derived from the model alone (prover and verifier
 * build the same plan from the verifying key).
 *
 * <p><b>Physical layout of a tensor</b> (C channels of S = H·W values): value (c, s) at index c·T +
 * s with T = S rounded up to a power of two, so the multilinear of a tensor at a point splits into
 * a spatial part and a channel part (eq(r, c·T + s) = eq(r_lo, s)·eq(r_hi, c)), which is what lets
 * a verifier evaluate convolution and pooling structure in time linear in one channel. Its domain
 * is 2^k ≥ nextPow2(C)·T, at least the witness width.
 *
 * <p><b>Transposed storage</b> (proof format 11): where C is a power of two, S is not and the
 * domain is exactly C·T, the committed vectors hold value (c, s) at s·C + c instead ({@link
 * Layout#stored}), C·S positions with no gap after each channel, when that takes fewer rows (a
 * BERT-style [128, 384] activation: 24 rows of 2048 instead of 32). Relations stay in the layout's
 * coordinates; a transposed vector is opened at the rotated point ({@link Vec#stored}).
 *
 * <p><b>The witness matrix</b> has {@link #width} columns (a power of two, B). A committed vector
 * of a tensor occupies ⌈(stored length)/B⌉ consecutive rows, its index i at row i / B, column i mod
 * B; the rest of its domain is zero by construction, not committed. Each requantizing op commits
 * its int8 output a, v = q − lo and e_0..e_{E−1} (ε·z + 2^(s−1) = 2^s·q + e, e = Σ 2^(20c)·e_c);
 * MaxPool commits its output y and the differences d_k = y − x_k to every window position; wiring
 * commits its output y. A MaxPool that alone reads a requantizing Conv pools before requantizing
 * ({@link #fusePools}): the Conv commits its accumulators z, the MaxPool a, v, e_c of its pooled
 * accumulators y, then y and the limbs of every d_k = y − z_k. Ops whose output is a model output
 * (int64 logits) commit nothing: the verifier reads the output from the statement.
 *
 * <p><b>Lookups</b>: per requantizing op, the remainder in RANGE_s for s ≤ 24, else the lower limbs
 * in RANGE_20 and the top one in RANGE_(s − 20(E − 1)); (v, a − lo) in the clamp table; per
 * MaxPool, every d_k in RANGE_8 (y ≥ x_k), or over accumulators in RANGE_b (b ≤ 24, format 13) or
 * 20-bit limbs. A slot covers a vector's committed rows, cut into blocks of 2^j rows (the binary
 * digits of the row count) so that each block sits at an aligned offset among the GKR's leaves.
 */
final class WitnessPlan {
  /** Vector kinds of a requantizing op: its output a, v = q − lo, the remainder's limbs. */
  static final int A = 0, V = 1, LIMBS = 2;

  /** Vector kinds of MaxPool: the output, then one difference per window position. */
  static final int Y = 0, D = 1;

  /** Largest witness width. */
  static final int MAX_WIDTH = 2048;

  /**
   * The physical layout of one tensor; {@code transposed} says how its committed vector is stored
   * ({@link #stored}).
   */
  record Layout(int channels, int spatial, int stride, int domainBits, boolean transposed) {
    Layout(int channels, int spatial, int stride, int domainBits) {
      this(channels, spatial, stride, domainBits, false);
    }

    /** Index of logical value i. */
    int physical(int i) {
      return (i / spatial) * stride + i % spatial;
    }

    /**
     * Where logical value i sits in the committed vector: its physical index, or for a transposed
     * layout s·C + c — the C channels (a power of two) below the S spatial values, which fills C·S
     * positions with no gap where the physical order leaves T − S unused after every channel.
     */
    int stored(int i) {
      return transposed ? (i % spatial) * channels + i / spatial : physical(i);
    }

    /** The committed vector's own layout: S "channels" of C values for a transposed one. */
    Layout storage() {
      return transposed ? new Layout(spatial, channels, channels, domainBits) : this;
    }

    /** How many of the committed vector's positions it spans (the rest of its domain is zero). */
    int storedLength() {
      return transposed ? channels * spatial : physicalLength();
    }

    /** One past the last index holding a value. */
    int physicalLength() {
      return (channels - 1) * stride + spatial;
    }

    int strideBits() {
      return Integer.numberOfTrailingZeros(stride);
    }

    int size() {
      return channels * spatial;
    }
  }

  /**
   * A committed vector: rows [firstRow, firstRow + rows) of the witness, domain 2^domainBits. With
   * {@code rotation} r &gt; 0 it holds a transposed layout ({@link Layout#stored}): its index is
   * the layout's index with the low r bits (the spatial ones) moved above the others, so its
   * multilinear at a point z of the layout's coordinates is the stored vector's at {@link
   * #stored}(z).
   */
  record Vec(int firstRow, int rows, int domainBits, int rotation) {
    Vec(int firstRow, int rows, int domainBits) {
      this(firstRow, rows, domainBits, 0);
    }

    /**
     * The point of the stored vector's coordinates where its multilinear is the layout's at z: z
     * itself, or for a rotation r the coordinates z_r..z_(n−1), z_0..z_(r−1) (n the domain bits),
     * then any coordinates of z beyond n (the zero extension of a longer domain).
     */
    GoldilocksExt2[] stored(GoldilocksExt2[] z) {
      if (rotation == 0) {
        return z;
      }
      int n = domainBits;
      if (z.length < n) {
        throw new IllegalArgumentException("a point of " + z.length + " coordinates for " + n);
      }
      GoldilocksExt2[] out = z.clone();
      for (int i = 0; i < n; i++) {
        out[i] = z[(i + rotation) % n];
      }
      return out;
    }

    /**
     * Vectors with one key are stored in one order (a point maps to one stored point): 0 for the
     * layout's own order.
     */
    long storageKey() {
      return rotation == 0 ? 0 : (long) domainBits << 32 | rotation;
    }
  }

  /**
   * A lookup: each column is a vector (all with one row count) plus a constant offset; when {@code
   * padding} is given, the first column also gets {@link FunctionTable#PAD_KEY} at every position
   * of that layout holding no value (a public column: the verifier evaluates it).
   */
  record Slot(Table table, Vec[] columns, long[] offsets, Layout padding) {
    Slot(Table table, Vec[] columns, long[] offsets) {
      this(table, columns, offsets, null);
    }
  }

  /** 2^logRows rows of a slot starting {@code rowOffset} rows into its vectors. */
  record Block(int slot, int rowOffset, int logRows, long leafOffset) {}

  /**
   * One lookup GKR: leaves [start, start + 2^bits) of all blocks; leaves from {@code used} on are
   * padding (only the last instance has any).
   */
  record Instance(long start, int bits, long used, List<Block> blocks) {}

  /** Most GKR instances a proof splits its lookups into. */
  static final int MAX_INSTANCES = 4;

  final IntegerModel model;
  final int width;
  final int logWidth;
  final Layout[] layouts; // per tensor id
  final Vec[][] vectors; // per op (empty for ops that commit nothing)
  final int[] limbs; // per op: remainder limbs of a requantizing op
  final int rowCount;
  final List<Slot> slots = new ArrayList<>();
  final List<Block> blocks = new ArrayList<>();
  final List<Table> tables;
  final boolean[] publicTensor; // per tensor id: an input, or computed by the verifier from inputs

  /**
   * Per tensor id: how many (wiring op, input) pairs read it where it is committed. Their
   * sum-checks against it are batched into one, run at the last of them (proof format 12: a fused
   * QKV projection read by three head splits proves one sum-check over its positions, not three).
   */
  final int[] wiringReaders;

  final FunctionTable[] functionTables; // per op: its function table, or null

  /**
   * Per table (in {@link #tables}' order): the leaves its slots look up, the most rows its
   * multiplicities may list (proof format 13; an honest proof lists the distinct rows hit).
   */
  final long[] tableLeaves;

  final long usedLeaves;
  final int leafBits;
  final List<Instance> instances = new ArrayList<>();
  private final int[][][] sources; // per op with a window: source(p, k) by k, then p
  private final int[][] reached; // per op with a window: the input positions its window reads
  final int outputPointBits;

  /**
   * Per op: a Conv whose requantization is applied after the MaxPool that alone reads it (pool
   * before requantizing); it commits its accumulators z, one vector, and looks nothing up.
   */
  final boolean[] prePool;

  /**
   * Per op: for a MaxPool over a {@link #prePool} Conv, that Conv's requantization, applied to the
   * pooled accumulators; else null.
   */
  final Requantization[] pooledRq;

  /** Per MaxPool: the bits of each window difference d_k (8 over int8, more over accumulators). */
  final int[] diffBits;

  private WitnessPlan(IntegerModel model) {
    this.model = model;
    int first = model.inputs().size();
    int count = first + model.ops().size();
    this.publicTensor = publicTensors(model);
    this.wiringReaders = new int[count];
    for (int j = 0; j < model.ops().size(); j++) {
      if (model.ops().get(j) instanceof WiringOp w && !publicTensor[first + j]) {
        for (int in : w.inputs()) {
          if (!publicTensor[in]) {
            wiringReaders[in]++;
          }
        }
      }
    }
    this.prePool = new boolean[model.ops().size()];
    this.pooledRq = new Requantization[model.ops().size()];
    this.diffBits = new int[model.ops().size()];
    fusePools(model);
    // width from the committed volume: about 2·sqrt(N), at least the smallest committed domain
    long volume = 0;
    long smallest = Long.MAX_VALUE;
    for (int j = 0; j < model.ops().size(); j++) {
      IntegerOp op = model.ops().get(j);
      int kinds = publicTensor[first + j] ? 0 : kinds(j);
      if (kinds > 0) {
        Layout l = layout(op.outputShape(), 0);
        volume += (long) kinds * l.physicalLength();
        smallest = Math.min(smallest, 1L << l.domainBits());
      }
    }
    int w = 2;
    while (w < MAX_WIDTH && (double) w < 2 * Math.sqrt(volume)) {
      w <<= 1;
    }
    if (smallest != Long.MAX_VALUE) {
      w = (int) Math.min(MAX_WIDTH, Math.max(w, smallest));
    }
    this.width = w;
    this.logWidth = Integer.numberOfTrailingZeros(w);
    this.layouts = new Layout[count];
    for (int id = 0; id < count; id++) {
      layouts[id] = layout(model.shapeOf(id), logWidth);
    }
    this.sources = new int[model.ops().size()][][];
    this.reached = new int[model.ops().size()][];
    for (int j = 0; j < model.ops().size(); j++) {
      IntegerOp op = model.ops().get(j);
      io.vouch.onnx.quant.Window win =
          switch (op) {
            case io.vouch.onnx.quant.ConvOp c -> c.window();
            case MaxPoolOp m -> m.window();
            case io.vouch.onnx.quant.AveragePoolOp a -> a.window();
            default -> null;
          };
      if (win != null) {
        TensorShape in = model.shapeOf(op.inputs()[0]);
        TensorShape out = op.outputShape();
        sources[j] = SpatialMaps.sources(win, in.height(), in.width(), out.height(), out.width());
        reached[j] = SpatialMaps.reached(sources[j], in.height() * in.width());
      }
    }
    this.vectors = new Vec[model.ops().size()][];
    this.limbs = new int[model.ops().size()];
    int row = 0;
    int outBits = 0;
    EnumSet<LookupTable> used = EnumSet.noneOf(LookupTable.class);
    List<FunctionTable> functions = new ArrayList<>();
    this.functionTables = new FunctionTable[model.ops().size()];
    for (int j = 0; j < model.ops().size(); j++) {
      IntegerOp op = model.ops().get(j);
      Layout l = layouts[first + j];
      outBits = Math.max(outBits, l.domainBits());
      int kinds = publicTensor[first + j] ? 0 : kinds(j);
      int rowKinds = publicTensor[first + j] ? 0 : rowKinds(op);
      int rows = (l.storedLength() + width - 1) / width;
      Vec[] v = new Vec[kinds + rowKinds];
      for (int k = 0; k < kinds; k++) {
        v[k] = new Vec(row, rows, l.domainBits(), l.transposed() ? l.strideBits() : 0);
        row += rows;
      }
      if (rowKinds > 0) {
        Layout rl = rowLayout(op, logWidth);
        int rr = (rl.physicalLength() + width - 1) / width;
        for (int k = kinds; k < kinds + rowKinds; k++) {
          v[k] = new Vec(row, rr, rl.domainBits());
          row += rr;
        }
      }
      vectors[j] = v;
      Requantization rq = requantization(j);
      if (kinds == 0 || prePool[j]) {
        continue; // accumulators output or pooled first, or computed by the verifier
      }
      if (rq != null) {
        int limbBits = LookupTable.REMAINDER_LIMB_BITS;
        int e = limbs(rq.shift());
        limbs[j] = e;
        for (int c = 0; c < e; c++) {
          int bits = c < e - 1 ? limbBits : rq.shift() - limbBits * (e - 1);
          LookupTable range = LookupTable.range(bits);
          slots.add(new Slot(range, new Vec[] {v[LIMBS + c]}, new long[] {0}));
          used.add(range);
        }
        LookupTable clamp =
            rq.activation() == Activation.RELU ? LookupTable.RELU_CLAMP : LookupTable.INT8_CLAMP;
        slots.add(new Slot(clamp, new Vec[] {v[V], v[A]}, new long[] {0, -rq.activation().low()}));
        if (op instanceof LayerNormOp && kinds > 0) {
          slots.add(new Slot(LookupTable.RANGE_10, new Vec[] {v[v.length - 1]}, new long[] {0}));
          used.add(LookupTable.RANGE_10);
        }
        used.add(clamp);
        if (op instanceof MaxPoolOp m) {
          for (int k = 0; k < m.window().kernelSize(); k++) {
            limbSlots(v, poolD(j, k), diffBits[j], used);
          }
        }
      } else if (op instanceof MaxPoolOp m) {
        for (int k = 0; k < m.window().kernelSize(); k++) {
          slots.add(new Slot(LookupTable.RANGE_8, new Vec[] {v[D + k]}, new long[] {0}));
          used.add(LookupTable.RANGE_8);
        }
      } else if (op instanceof SoftmaxOp sm && kinds > 0) {
        // (d, e, y) in the exponential table with y's range as a third column (format 12)
        FunctionTable table = functionTable(functions, 0, sm.exp(), sm.outputMax() + 1);
        functionTables[j] = table;
        Layout in = layouts[sm.input()];
        slots.add(
            new Slot(
                table, new Vec[] {v[SM_D], v[SM_E], v[SM_Y]}, new long[] {0, 0, 0}, in.storage()));
        // per value the division's remainder; per row R and the limbs of r1 and E − 1 − r1
        limbs[j] = limbs(softmaxRowBits(sm));
        limbSlots(v, SM_REM, sm.reciprocalShift(), used);
        limbSlots(v, smReciprocal(sm), softmaxReciprocalBits(sm), used);
        limbSlots(v, smRowRemainder(sm), softmaxRowBits(sm), used);
        limbSlots(v, smRowRemainder(sm) + limbs[j], softmaxRowBits(sm), used);
      } else if (op instanceof TableOp t && kinds > 0) {
        long[] values = new long[FunctionTable.KEYS];
        for (int k = 0; k < values.length; k++) {
          values[k] = t.table()[k];
        }
        FunctionTable table = functionTable(functions, -128, values);
        functionTables[j] = table;
        slots.add(
            new Slot(table, new Vec[] {valuesOf(t.input()), v[Y]}, new long[] {0, 0}, l.storage()));
      }
    }
    this.rowCount = row;
    this.outputPointBits = outBits;
    List<Table> all = new ArrayList<>(used);
    all.addAll(functions);
    this.tables = List.copyOf(all);
    this.tableLeaves = new long[tables.size()];
    for (Slot slot : slots) {
      tableLeaves[tables.indexOf(slot.table())] += (long) slot.columns()[0].rows() * width;
    }
    // blocks of 2^j rows, largest first, at aligned leaf offsets
    List<Block> unplaced = new ArrayList<>();
    for (int s = 0; s < slots.size(); s++) {
      int rows = slots.get(s).columns()[0].rows();
      int offset = 0;
      for (int j = 30; j >= 0; j--) {
        if (((rows >>> j) & 1) == 1) {
          unplaced.add(new Block(s, offset, j, 0));
          offset += 1 << j;
        }
      }
    }
    unplaced.sort(Comparator.comparingInt(Block::logRows).reversed());
    long leaf = 0;
    for (Block b : unplaced) {
      blocks.add(new Block(b.slot(), b.rowOffset(), b.logRows(), leaf));
      leaf += (long) width << b.logRows();
    }
    this.usedLeaves = leaf;
    int bits = 1;
    while ((1L << bits) < leaf) {
      bits++;
    }
    this.leafBits = bits;
    // one GKR per binary digit of the leaf count (at most MAX_INSTANCES, the last one padded):
    // blocks of descending powers of two end exactly at every binary prefix of their total, so
    // no block straddles two instances, and padding 2^18 + 2^14 leaves up to 2^19 is avoided
    long start = 0;
    while (start < leaf) {
      long remaining = leaf - start;
      int b2 = 63 - Long.numberOfLeadingZeros(remaining);
      if (remaining != 1L << b2 && instances.size() == MAX_INSTANCES - 1) {
        b2++; // the last instance takes the rest, padded
      }
      b2 = Math.max(b2, 1);
      long end = start + (1L << b2);
      List<Block> in = new ArrayList<>();
      for (Block block : blocks) {
        if (block.leafOffset() >= start && block.leafOffset() < end) {
          in.add(block);
        }
      }
      instances.add(new Instance(start, b2, Math.min(leaf, end) - start, List.copyOf(in)));
      start = end;
    }
  }

  /**
   * Pool before requantizing: a MaxPool that alone reads a requantizing Conv (not a model output,
   * committed, no window position reading padding) takes over the Conv's requantization. The
   * requantization (a positive multiplier, rounding half up by an arithmetic shift, the clamp and
   * Relu) is non-decreasing in z, so max_k requant(z_k) = requant(max_k z_k) exactly: the Conv
   * commits z (one vector instead of a, v and the remainder's limbs), the MaxPool proves y = max
   * z_k over the accumulators, with d_k = y − z_k in [0, 2^b) for b the bits of the channel's
   * largest spread of z (255·Σ|W| plus the bias's spread; 20-bit limbs above 24 bits), and
   * requantizes only the pooled quarter.
   */
  private void fusePools(IntegerModel model) {
    int first = model.inputs().size();
    int[] readers = new int[first + model.ops().size()];
    for (IntegerOp op : model.ops()) {
      for (int in : op.inputs()) {
        readers[in]++;
      }
    }
    for (var o : model.outputs()) {
      readers[o.tensor()] += 2; // an output is read outside the graph
    }
    for (int j = 0; j < model.ops().size(); j++) {
      if (!(model.ops().get(j) instanceof MaxPoolOp m)) {
        continue;
      }
      diffBits[j] = 8;
      int id = m.input();
      if (id < first || readers[id] != 1 || publicTensor[id] || publicTensor[first + j]) {
        continue;
      }
      int pj = id - first;
      if (!(model.ops().get(pj) instanceof io.vouch.onnx.quant.ConvOp c)
          || c.requantization() == null) {
        continue;
      }
      TensorShape in = m.inputShape();
      TensorShape out = m.outputShape();
      int[][] src =
          SpatialMaps.sources(m.window(), in.height(), in.width(), out.height(), out.width());
      boolean padded = false;
      for (int[] byP : src) {
        for (int s : byP) {
          padded |= s < 0;
        }
      }
      int bits = 64 - Long.numberOfLeadingZeros(accumulatorSpread(c));
      if (padded || bits > MAX_DIFF_BITS) {
        continue;
      }
      prePool[pj] = true;
      pooledRq[j] = c.requantization();
      diffBits[j] = Math.max(1, bits);
    }
  }

  /** The widest window difference a fused MaxPool range-checks. */
  static final int MAX_DIFF_BITS = 40;

  /**
   * The largest max − min of one output channel's accumulators over all int8 inputs: 255·Σ|W[co]|
   * (each tap's w·x spans |w|·255; a padding tap's 0 lies inside it) plus the spread of the
   * channel's biases over its positions.
   */
  static long accumulatorSpread(io.vouch.onnx.quant.ConvOp c) {
    int per = c.groupInputChannels() * c.window().kernelSize();
    byte[] w = c.weightsView();
    long[] bias = c.biasView();
    int positions = bias.length / c.outChannels();
    long widest = 0;
    for (int co = 0; co < c.outChannels(); co++) {
      long s = 0;
      for (int i = 0; i < per; i++) {
        s += Math.abs(w[co * per + i]) * 255L;
      }
      long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
      for (int p = 0; p < positions; p++) {
        lo = Math.min(lo, bias[co * positions + p]);
        hi = Math.max(hi, bias[co * positions + p]);
      }
      widest = Math.max(widest, s + (hi - lo));
    }
    return widest;
  }

  /**
   * The requantization the proof applies at op j: the op's own, none for a {@link #prePool} Conv,
   * the Conv's for a MaxPool it feeds.
   */
  Requantization requantization(int j) {
    if (pooledRq[j] != null) {
      return pooledRq[j];
    }
    return prePool[j] ? null : model.ops().get(j).requantization();
  }

  /** Whether op j is a MaxPool that requantizes its pooled accumulators. */
  boolean fusedPool(int j) {
    return pooledRq[j] != null;
  }

  /** Limbs of each window difference of MaxPool j. */
  int diffLimbs(int j) {
    return limbs(diffBits[j]);
  }

  /** The index of MaxPool j's output y among its vectors (after a, v, e for a fused one). */
  int poolY(int j) {
    return fusedPool(j) ? LIMBS + limbs[j] : Y;
  }

  /** The index of the first limb of MaxPool j's difference d_k among its vectors. */
  int poolD(int j, int k) {
    return poolY(j) + 1 + k * diffLimbs(j);
  }

  /** How many vectors op j commits in this plan. */
  int kinds(int j) {
    IntegerOp op = model.ops().get(j);
    if (prePool[j]) {
      return 1;
    }
    if (fusedPool(j)) {
      int kernel = ((MaxPoolOp) op).window().kernelSize();
      return LIMBS + limbs(pooledRq[j].shift()) + 1 + kernel * diffLimbs(j);
    }
    return kinds(op);
  }

  static WitnessPlan of(IntegerModel model) {
    return new WitnessPlan(model);
  }

  /** The function table with these rows: an existing one with the same rows, else a new one. */
  private static FunctionTable functionTable(List<FunctionTable> tables, int from, long[] values) {
    return functionTable(tables, from, values, 0);
  }

  /** {@link #functionTable(List, int, long[])} with a third column over [0, outputs). */
  private static FunctionTable functionTable(
      List<FunctionTable> tables, int from, long[] values, int outputs) {
    FunctionTable candidate =
        new FunctionTable(FunctionTable.FIRST_ID + tables.size(), from, values, outputs);
    for (FunctionTable t : tables) {
      if (t.sameRows(candidate)) {
        return t;
      }
    }
    tables.add(candidate);
    return candidate;
  }

  /**
   * Which tensors are public: the inputs, embeddings (their indices are inputs), and table and
   * elementwise ops whose inputs are all public (the verifier computes them from the statement's
   * input, in time linear in their size; nothing is committed or proved for them).
   */
  static boolean[] publicTensors(IntegerModel model) {
    int first = model.inputs().size();
    boolean[] pub = new boolean[first + model.ops().size()];
    for (int i = 0; i < first; i++) {
      pub[i] = true;
    }
    for (int j = 0; j < model.ops().size(); j++) {
      IntegerOp op = model.ops().get(j);
      boolean allPublic = true;
      for (int in : op.inputs()) {
        allPublic &= pub[in];
      }
      pub[first + j] =
          op instanceof GatherOp
              || (allPublic && (op instanceof TableOp || op instanceof ElementwiseOp));
    }
    return pub;
  }

  /** The layout of a tensor of this shape, its domain at least 2^minBits. */
  static Layout layout(TensorShape shape, int minBits) {
    int spatial = shape.spatial();
    int stride = nextPowerOfTwo(spatial);
    int channels = shape.channels();
    int bits = Long.numberOfTrailingZeros((long) nextPowerOfTwo(channels) * stride);
    int domain = Math.max(minBits, bits);
    // transposed where that takes fewer witness rows: a power-of-two channel count (so that the
    // stored index is a rotation of the physical one's bits), spatial values short of their
    // stride, and a domain of exactly C·T positions (a longer one would need a rotation with gaps)
    long rows = (1L << domain) >> minBits;
    long storedRows = ((long) channels * spatial + (1L << minBits) - 1) >> minBits;
    boolean transposed =
        channels > 1
            && Integer.bitCount(channels) == 1
            && spatial < stride
            && domain == bits
            && storedRows < rows;
    return new Layout(channels, spatial, stride, domain, transposed);
  }

  /** Range slots for a value of {@code bits} bits in limbs v[from], v[from + 1], .... */
  private void limbSlots(Vec[] v, int from, int bits, EnumSet<LookupTable> used) {
    int n = limbs(bits);
    for (int c = 0; c < n; c++) {
      int b =
          n == 1
              ? bits
              : c < n - 1
                  ? LookupTable.REMAINDER_LIMB_BITS
                  : bits - LookupTable.REMAINDER_LIMB_BITS * (n - 1);
      LookupTable range = LookupTable.range(b);
      slots.add(new Slot(range, new Vec[] {v[from + c]}, new long[] {0}));
      used.add(range);
    }
  }

  /**
   * Softmax vectors (proof format 12): per value its output y, d = m − x, e = exp[d], the limbs of
   * the division's remainder rem = e·R + 2^(K−1) − 2^K·y ∈ [0, 2^K) and the selector s ({@link
   * #smSelector}); per row ({@link #rowLayout}) the limbs of the reciprocal R = ⌊Q·2^K/E⌋ ({@link
   * #smReciprocal}), of r1 = Q·2^K − E·R ({@link #smRowRemainder}) and of E − 1 − r1, then the row
   * maximum m (the last vector).
   */
  static final int SM_Y = 0, SM_D = 1, SM_E = 2, SM_REM = 3;

  /**
   * The index of a softmax's selector s among its vectors: 1 at each real row's first maximum, 0
   * elsewhere (proof format 9: Σ_j s = 1 per row and s·d = 0 value by value show that the row
   * maximum is one of the row's values, in place of a zero-check of degree L + 1).
   */
  static int smSelector(SoftmaxOp sm) {
    return SM_REM + limbs(sm.reciprocalShift());
  }

  /** The first limb of a softmax's per-row reciprocals R (its first per-row vector). */
  static int smReciprocal(SoftmaxOp sm) {
    return smSelector(sm) + 1;
  }

  /** The first limb of a softmax's per-row remainders r1 (then those of E − 1 − r1). */
  static int smRowRemainder(SoftmaxOp sm) {
    return smReciprocal(sm) + limbs(softmaxReciprocalBits(sm));
  }

  /**
   * Bits of a softmax's per-row remainders r1 and E − 1 − r1: both below E ≤ length·exp[0] (19 for
   * rows of 128 values with exp[0] = 2^12, one lookup; 24 for 4,096, two limbs).
   */
  static int softmaxRowBits(SoftmaxOp sm) {
    return Math.max(1, 64 - Long.numberOfLeadingZeros(sm.sumBound() - 1));
  }

  /**
   * Bits of a softmax's reciprocal R = ⌊Q·2^K/E⌋ ≤ Q·2^K/exp[0] (a real row holds its maximum's
   * exp[0]): 15 for rows of 128 values.
   */
  static int softmaxReciprocalBits(SoftmaxOp sm) {
    long largest = ((long) sm.outputMax() << sm.reciprocalShift()) / sm.exp()[0];
    return Math.max(1, 64 - Long.numberOfLeadingZeros(largest));
  }

  /** The per-row vectors of a softmax: R's limbs, those of r1 and of E − 1 − r1, m. */
  static int softmaxRowKinds(SoftmaxOp sm) {
    return limbs(softmaxReciprocalBits(sm)) + 2 * limbs(softmaxRowBits(sm)) + 1;
  }

  /**
   * A layer normalization's per-row values, 10-bit limbs packed as the channels of one vector over
   * its cube of rows: σ = ⌊√(V + E)⌋, s1 = V + E − σ², 2σ − s1, ρ = ⌊2^K/σ⌋, r1 = 2^K − σ·ρ, σ − 1
   * − r1 — the parts, in this order ({@link #lnFrom}). Rows of up to {@value #LN_NARROW} values
   * take 2, 2, 2, 3, 2, 2 limbs (13 channels; σ < 2^19 there, since V ≤ 2^16·L³); longer rows (a
   * BERT-style width of 384, GPT-2's 768) take 3 limbs for every part (18 channels; σ, s1, ρ, r1 <
   * 2^30, so σ² + s1 and σ·ρ + r1 stay below 2^61 and the identities hold over the integers).
   */
  static final int LN_SIGMA = 0, LN_S1 = 1, LN_S1_REST = 2, LN_RHO = 3, LN_R1 = 4, LN_R1_REST = 5;

  /** The longest layer-norm row with the narrow (13-channel) packing. */
  static final int LN_NARROW = 128;

  private static final int[] LN_NARROW_LIMBS = {2, 2, 2, 3, 2, 2},
      LN_WIDE_LIMBS = {3, 3, 3, 3, 3, 3};

  /** The limbs of each part of a layer norm's packed row vector. */
  static int[] lnLimbs(LayerNormOp ln) {
    return (ln.length() <= LN_NARROW ? LN_NARROW_LIMBS : LN_WIDE_LIMBS).clone();
  }

  /** The first channel of a part of a layer norm's packed row vector. */
  static int lnFrom(LayerNormOp ln, int part) {
    int[] limbs = lnLimbs(ln);
    int from = 0;
    for (int k = 0; k < part; k++) {
      from += limbs[k];
    }
    return from;
  }

  /** The channels of a layer norm's packed row vector (13 or 18). */
  static int lnKinds(LayerNormOp ln) {
    return lnFrom(ln, LN_R1_REST + 1);
  }

  /** The bits of the channel index of a layer norm's packed row vector (4 or 5). */
  static int lnKindBits(LayerNormOp ln) {
    return 32 - Integer.numberOfLeadingZeros(lnKinds(ln) - 1);
  }

  /**
   * Vectors with one value per row of a row-wise op (a softmax's reciprocals, remainders and
   * maxima; a layer norm's packed limbs).
   */
  static int rowKinds(IntegerOp op) {
    return switch (op) {
      case SoftmaxOp sm -> softmaxRowKinds(sm);
      case LayerNormOp ln -> 1;
      default -> 0;
    };
  }

  /**
   * The layout of a row-wise op's per-row vectors: batch × rows × 1 for a softmax; for a layer
   * normalization its {@link #lnKinds} limbs as channels over its cube of rows.
   */
  static Layout rowLayout(IntegerOp op, int minBits) {
    return switch (op) {
      case SoftmaxOp sm -> layout(new TensorShape(sm.batch(), sm.rows(), 1), minBits);
      case LayerNormOp ln -> {
        MatrixBits mb =
            MatrixBits.of(layout(ln.outputShape(), 0), ln.batch(), ln.rows(), ln.length());
        yield layout(
            new TensorShape(lnKinds(ln), 1, 1 << (mb.rowBits() + mb.batchBits())), minBits);
      }
      default -> throw new IllegalArgumentException(op.kind() + " has no per-row vectors");
    };
  }

  /** How many vectors an op commits on its own (the plan's {@link #kinds(int)} pools first). */
  static int kinds(IntegerOp op) {
    if (op.requantization() != null) {
      return LIMBS + limbs(op.requantization().shift());
    }
    if (op instanceof MaxPoolOp m) {
      return D + m.window().kernelSize();
    }
    if (op instanceof WiringOp || op instanceof TableOp) {
      return 1;
    }
    if (op instanceof SoftmaxOp sm) {
      return smSelector(sm) + 1;
    }
    return 0; // outputs its accumulators: nothing committed
  }

  /**
   * Remainder limbs of a shift s: one lookup into RANGE_s when s ≤ {@link
   * LookupTable#MAX_RANGE_BITS} (24), else ⌈s/20⌉ limbs of 20 bits (the top one narrower).
   */
  static int limbs(int shift) {
    return shift <= LookupTable.MAX_RANGE_BITS
        ? 1
        : (shift + LookupTable.REMAINDER_LIMB_BITS - 1) / LookupTable.REMAINDER_LIMB_BITS;
  }

  static int nextPowerOfTwo(long n) {
    long p = 1;
    while (p < n) {
      p <<= 1;
    }
    return Math.toIntExact(p);
  }

  /** The layout of tensor {@code id}. */
  Layout layoutOf(int id) {
    return layouts[id];
  }

  /** The vector holding tensor {@code id}'s int8 values, or null for a public tensor. */
  Vec valuesOf(int id) {
    int first = model.inputs().size();
    return publicTensor[id] ? null : vectors[id - first][0];
  }

  /** source(p, k) of op {@code op}'s window, by kernel position then output position. */
  int[][] sources(int op) {
    return sources[op];
  }

  /** The input positions op {@code op}'s window reads, increasing ({@link SpatialMaps#reached}). */
  int[] reached(int op) {
    return reached[op];
  }

  boolean isPublic(int id) {
    return publicTensor[id];
  }

  int tableIndex(Table table) {
    return tables.indexOf(table);
  }
}
