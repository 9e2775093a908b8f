package io.vouch.zk.lookup;

import io.vouch.zk.field.GoldilocksExt2;

/**
 * The fixed tables that lookups go into (a {@link Table} each; ranges up to 2^24 rows, the clamps
 * 2^18).
 *
 * <p>The clamp tables prove v ↦ clamp(v, 0, w) for v = q − lo ∈ [−2^17, 2^17) in one lookup of the
 * pair (v, a − lo): a requantized value commits its output a and v, and the lookup both
 * range-checks v and ties a to it. The tables are large, but a proof pays only for the rows it
 * uses: their multiplicities are sent sparsely and the verifier's table side touches only those
 * rows.
 */
public enum LookupTable implements Table {
  /** (v, clamp(v, 0, 127)) for ReLU, v ∈ [−2^17, 2^17). */
  RELU_CLAMP(3, 2, 2 * LookupTable.CLAMP_LIMIT, 127),
  /** (v, clamp(v, 0, 255)) for int8 saturation [−128, 127], v ∈ [−2^17, 2^17). */
  INT8_CLAMP(4, 2, 2 * LookupTable.CLAMP_LIMIT, 255),
  /** One column: 0..2^k − 1 for RANGE_k. Range checks of remainder limbs. */
  RANGE_1(17, 1, 2),
  RANGE_2(18, 1, 4),
  RANGE_3(19, 1, 8),
  RANGE_4(20, 1, 16),
  RANGE_5(21, 1, 32),
  RANGE_6(22, 1, 64),
  RANGE_7(23, 1, 128),
  RANGE_8(24, 1, 256),
  RANGE_9(25, 1, 512),
  RANGE_10(26, 1, 1024),
  /**
   * Wider single-column ranges: a requantization remainder of up to 15 bits in one lookup instead
   * of two (tables up to 2^15 rows; the verifier's table side inverts only rows in use).
   */
  RANGE_11(27, 1, 1 << 11),
  RANGE_12(28, 1, 1 << 12),
  RANGE_13(29, 1, 1 << 13),
  RANGE_14(30, 1, 1 << 14),
  RANGE_15(31, 1, 1 << 15),
  /**
   * Up to 2^20 rows: a remainder of up to 20 bits (a transformer projection's s = 20) in one
   * lookup; like the clamps, a proof pays only for the rows it uses (sparse multiplicities).
   */
  RANGE_16(32, 1, 1 << 16),
  RANGE_17(33, 1, 1 << 17),
  RANGE_18(34, 1, 1 << 18),
  RANGE_19(35, 1, 1 << 19),
  RANGE_20(36, 1, 1 << 20),
  /**
   * Up to 2^24 rows (proof format 13): a value of up to 24 bits in one lookup where two limbs took
   * two lookups and two committed vectors (a max-pool's window difference over the accumulators of
   * a wide convolution: 22 bits in LeNet-5's second pool, 23 and 24 in the 264k CNN's). The prover
   * counts them sparsely, the verifier's table side sums over the used rows only.
   */
  RANGE_21(37, 1, 1 << 21),
  RANGE_22(38, 1, 1 << 22),
  RANGE_23(39, 1, 1 << 23),
  RANGE_24(40, 1, 1 << 24);

  /** Bits of a layer normalization's packed per-row limbs (looked up in RANGE_10). */
  public static final int LIMB_BITS = 10;

  /**
   * Bits of a limb (a requantization's remainder, a softmax division's, a max-pool's window
   * difference) when the value is wider than {@link #MAX_RANGE_BITS} and needs several: the lower
   * limbs in RANGE_20, the top one in its own range.
   */
  public static final int REMAINDER_LIMB_BITS = 20;

  /**
   * Widest single range table: a value of up to this many bits is one lookup (proof format 13; 20
   * before). Wider values take limbs of {@link #REMAINDER_LIMB_BITS}.
   */
  public static final int MAX_RANGE_BITS = 24;

  /** The table of the values 0..2^bits − 1, for 1 ≤ bits ≤ {@link #MAX_RANGE_BITS}. */
  public static LookupTable range(int bits) {
    if (bits < 1 || bits > MAX_RANGE_BITS) {
      throw new IllegalArgumentException(
          "range tables cover 1 to " + MAX_RANGE_BITS + " bits, not " + bits);
    }
    return values()[RANGE_1.ordinal() + bits - 1];
  }

  /**
   * v = q − lo ranges over [−CLAMP_LIMIT, CLAMP_LIMIT): requantized values need |q − lo| &lt; 2^17.
   */
  public static final int CLAMP_LIMIT = 1 << 17;

  private final int id;
  private final int arity;
  private final int size;
  // a clamp table's row of (v, ·) is v + CLAMP_LIMIT, a range table's row of v is v
  private final boolean clamp;
  private final long firstKey;
  private final long ceiling; // w of a clamp table

  /** A range table. */
  LookupTable(int id, int arity, int size) {
    this(id, arity, size, -1);
  }

  /** A clamp table (ceiling w ≥ 0) or, for a negative ceiling, a range table. */
  LookupTable(int id, int arity, int size, long ceiling) {
    this.id = id;
    this.arity = arity;
    this.size = size;
    this.clamp = ceiling >= 0;
    this.firstKey = clamp ? -CLAMP_LIMIT : 0;
    this.ceiling = ceiling;
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public int arity() {
    return arity;
  }

  @Override
  public int size() {
    return size;
  }

  /** Whether this is a clamp table: rows (v, clamp(v, 0, w)). */
  public boolean isClamp() {
    return clamp;
  }

  /** The w of a clamp table's clamp(v, 0, w): 127 for ReLU, 255 for int8. */
  public long ceiling() {
    return ceiling;
  }

  /** clamp(v, 0, w) of a clamp table (w = 127 for ReLU, 255 for int8). */
  public long clamp(long v) {
    return Math.max(0, Math.min(v, ceiling));
  }

  @Override
  public long entry(int row, int column) {
    return switch (this) {
      case RELU_CLAMP, INT8_CLAMP -> {
        long v = row - (long) CLAMP_LIMIT;
        yield column == 0 ? v : clamp(v);
      }
      default -> row; // RANGE_k: the values 0..2^k − 1
    };
  }

  /**
   * The table side on primitive longs ({@link AffineRows}): a range table's row j folds to id +
   * β·j; a clamp table's row (v, clamp(v)) to id + β·v below 0, id + (β + β^2)·v on [0, w] and id +
   * β^2·w + β·v above w. The same field element as {@link Table#weightedInverseSum}'s row by row
   * sum (tested), at a fraction of its cost: a proof may use tens of thousands of a 2^20-row range
   * table's rows.
   */
  @Override
  public GoldilocksExt2 weightedInverseSum(
      Multiplicities multiplicities, GoldilocksExt2 alpha, GoldilocksExt2 beta) {
    GoldilocksExt2 id = GoldilocksExt2.of(this.id);
    int used = multiplicities.used();
    if (!clamp) {
      if (beta.isZero()) {
        return Table.super.weightedInverseSum(multiplicities, alpha, beta);
      }
      return AffineRows.sum(alpha, id, beta, multiplicities, 0, used, 0);
    }
    GoldilocksExt2 beta2 = beta.mul(beta);
    GoldilocksExt2 middleSlope = beta.add(beta2);
    if (beta.isZero() || middleSlope.isZero()) {
      return Table.super.weightedInverseSum(multiplicities, alpha, beta);
    }
    long w = ceiling;
    int zero = AffineRows.firstAtLeast(multiplicities, 0, used, CLAMP_LIMIT);
    int above = AffineRows.firstAtLeast(multiplicities, zero, used, CLAMP_LIMIT + w + 1);
    return AffineRows.sum(alpha, id, beta, multiplicities, 0, zero, -CLAMP_LIMIT)
        .add(AffineRows.sum(alpha, id, middleSlope, multiplicities, zero, above, -CLAMP_LIMIT))
        .add(
            AffineRows.sum(
                alpha, id.add(beta2.mulBase(w)), beta, multiplicities, above, used, -CLAMP_LIMIT));
  }

  /**
   * A subtraction and a bounds check (an unsigned comparison): the witness's lookup leaves and
   * multiplicities call this once per committed value.
   */
  @Override
  public int indexOf(long c0, long c1) {
    long row = c0 - firstKey;
    if (Long.compareUnsigned(row, size) >= 0 || (clamp && c1 != clamp(c0))) {
      return -1;
    }
    return (int) row;
  }
}
