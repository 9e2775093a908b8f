package io.vouch.zk.lookup;

/**
 * The fixed tables that lookups go into (a {@link Table} each; ranges up to 2^15 rows, the others
 * up to 2^10).
 *
 * <p>The sign and clamp tables prove v ↦ clamp(v, 0, w) for v = q − lo = 256·h + t with h ∈ [−512,
 * 512) and t a byte: σ = sign(h) (0 for h &lt; 0, 1 for h = 0, 2 for h &gt; 0) and out = 0, min(t,
 * w), w respectively.
 */
public enum LookupTable implements Table {
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

  /** σ(h): 0 for negative, 1 for zero, 2 for positive. */
  public static int sign(long h) {
    return h < 0 ? 0 : h == 0 ? 1 : 2;
  }

  @Override
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

  @Override
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
}
