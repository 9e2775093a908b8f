package io.vouch.zk.lookup;

import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;

/**
 * The fixed tables that lookups go into, each at most 2^10 rows. A row of arity k is folded into
 * one field element id + β·c_0 + β^2·c_1 + ... + β^k·c_{k−1}, so tables of different shapes share
 * one LogUp argument (the table id keeps them apart).
 *
 * <p>The sign and clamp tables prove v ↦ clamp(v, 0, w) for v = q − lo = 256·h + t with h ∈ [−512,
 * 512) and t a byte: σ = sign(h) (0 for h &lt; 0, 1 for h = 0, 2 for h &gt; 0) and out = 0, min(t,
 * w), w respectively.
 */
public enum LookupTable {
  /** (h, σ(h)) for h ∈ [−512, 512). */
  SIGN(2, 2, 1024),
  /** (σ, t, clamp output − lo) for ReLU: w = 127. */
  RELU_CLAMP(3, 3, 768),
  /** (σ, t, clamp output − lo) for int8 saturation [−128, 127]: w = 255. */
  INT8_CLAMP(4, 3, 768),
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
  RANGE_15(31, 1, 1 << 15);

  /** Bits of a remainder limb when the remainder needs several. */
  public static final int LIMB_BITS = 10;

  /** Widest single range table: a remainder of up to this many bits is one lookup. */
  public static final int MAX_RANGE_BITS = 15;

  /** The table of the values 0..2^bits − 1, for 1 ≤ bits ≤ {@link #MAX_RANGE_BITS}. */
  public static LookupTable range(int bits) {
    if (bits < 1 || bits > MAX_RANGE_BITS) {
      throw new IllegalArgumentException("range tables cover 1 to 15 bits, not " + bits);
    }
    return values()[RANGE_1.ordinal() + bits - 1];
  }

  /** h ranges over [−H_LIMIT, H_LIMIT): requantized values must satisfy |q − lo| &lt; 2^17. */
  public static final int H_LIMIT = 512;

  private final int id;
  private final int arity;
  private final int size;

  LookupTable(int id, int arity, int size) {
    this.id = id;
    this.arity = arity;
    this.size = size;
  }

  public int id() {
    return id;
  }

  public int arity() {
    return arity;
  }

  public int size() {
    return size;
  }

  /** σ(h): 0 for negative, 1 for zero, 2 for positive. */
  public static int sign(long h) {
    return h < 0 ? 0 : h == 0 ? 1 : 2;
  }

  /** Column {@code column} of row {@code row}, as a signed integer. */
  public long entry(int row, int column) {
    return switch (this) {
      case SIGN -> column == 0 ? row - H_LIMIT : sign(row - H_LIMIT);
      case RELU_CLAMP, INT8_CLAMP -> {
        int sigma = row / 256, t = row % 256;
        long w = this == RELU_CLAMP ? 127 : 255;
        yield switch (column) {
          case 0 -> sigma;
          case 1 -> t;
          default -> sigma == 0 ? 0 : sigma == 2 ? w : Math.min(t, w);
        };
      }
      default -> row; // RANGE_k: the values 0..2^k − 1
    };
  }

  /**
   * The row holding the given tuple (its first one or two columns determine it).
   *
   * @throws IllegalArgumentException if no row holds it
   */
  public int rowOf(long c0, long c1) {
    int row = indexOf(c0, c1);
    if (row < 0) {
      throw new IllegalArgumentException(
          "value (" + c0 + ", " + c1 + ") is not in lookup table " + this);
    }
    return row;
  }

  /** The row whose first one or two columns are (c0, c1), or −1 if none is. */
  public int indexOf(long c0, long c1) {
    long row =
        switch (this) {
          case SIGN -> c0 + H_LIMIT;
          case RELU_CLAMP, INT8_CLAMP -> c0 * 256 + c1;
          default -> c0; // RANGE_k
        };
    if (row < 0
        || row >= size
        || (this == SIGN && c1 != sign(c0))
        || ((this == RELU_CLAMP || this == INT8_CLAMP)
            && (c0 < 0 || c0 > 2 || c1 < 0 || c1 > 255))) {
      return -1;
    }
    return (int) row;
  }

  /** id + Σ_j β^{j+1}·entry(row, j). */
  public GoldilocksExt2 combined(int row, GoldilocksExt2 beta) {
    GoldilocksExt2 acc = GoldilocksExt2.of(id);
    GoldilocksExt2 power = beta;
    for (int j = 0; j < arity; j++) {
      acc = acc.add(power.mulBase(Goldilocks.fromSigned(entry(row, j))));
      power = power.mul(beta);
    }
    return acc;
  }

  /**
   * The table side of LogUp: Σ_row m_row / (α − combined(row)), with one batch inversion.
   *
   * @throws ArithmeticException if α hits a table value (probability ≤ size/|K|)
   */
  public GoldilocksExt2 weightedInverseSum(
      long[] multiplicities, GoldilocksExt2 alpha, GoldilocksExt2 beta) {
    // only rows that are looked up contribute: invert just those (a wide range table is mostly
    // unused by a small model)
    int used = 0;
    for (long m : multiplicities) {
      used += m != 0 ? 1 : 0;
    }
    if (used == 0) {
      return GoldilocksExt2.ZERO;
    }
    long[] all = denominators(alpha, beta);
    long[] den = new long[2 * used];
    long[] m = new long[used];
    int k = 0;
    for (int row = 0; row < size; row++) {
      if (multiplicities[row] != 0) {
        den[2 * k] = all[2 * row];
        den[2 * k + 1] = all[2 * row + 1];
        m[k++] = multiplicities[row];
      }
    }
    long[] inv = GoldilocksExt2.batchInverse(den);
    long s0 = 0, s1 = 0;
    for (int i = 0; i < used; i++) {
      s0 = Goldilocks.add(s0, Goldilocks.mul(inv[2 * i], m[i]));
      s1 = Goldilocks.add(s1, Goldilocks.mul(inv[2 * i + 1], m[i]));
    }
    return new GoldilocksExt2(s0, s1);
  }

  /** α − combined(row) for every row, interleaved K: the LogUp denominators of the table. */
  public long[] denominators(GoldilocksExt2 alpha, GoldilocksExt2 beta) {
    long[] den = new long[2 * size];
    GoldilocksExt2[] powers = new GoldilocksExt2[arity];
    GoldilocksExt2 power = beta;
    for (int j = 0; j < arity; j++) {
      powers[j] = power;
      power = power.mul(beta);
    }
    GoldilocksExt2 alphaMinusId = alpha.sub(GoldilocksExt2.of(id));
    for (int row = 0; row < size; row++) {
      long d0 = alphaMinusId.c0(), d1 = alphaMinusId.c1();
      for (int j = 0; j < arity; j++) {
        long e = Goldilocks.fromSigned(entry(row, j));
        d0 = Goldilocks.sub(d0, Goldilocks.mul(powers[j].c0(), e));
        d1 = Goldilocks.sub(d1, Goldilocks.mul(powers[j].c1(), e));
      }
      den[2 * row] = d0;
      den[2 * row + 1] = d1;
    }
    return den;
  }
}
