package io.vouch.zk.lookup;

import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import java.util.Arrays;

/**
 * A function of one small integer as a two-column table: the rows (k, f(k)) for the 256 keys k from
 * {@link #from()}, plus the row ({@link #PAD_KEY}, 0) for the positions of a committed vector that
 * hold no value. A lookup of (x, y) pairs adds {@link #PAD_KEY} to x exactly at those positions (a
 * public column the verifier evaluates itself), where x and y are 0: so every committed position
 * matches a row, and a value position matches only (x, f(x)).
 *
 * <p>Its values are the model's (an int8 Sigmoid's codes, a Softmax's exponentials), so the model
 * id binds them; its id is {@link #FIRST_ID} + its index among the proof's function tables.
 */
public final class FunctionTable implements Table {
  /** Keys per table: every int8 code, or every max-subtracted difference 0..255. */
  public static final int KEYS = 256;

  /** The key of the padding row: outside every key range. */
  public static final long PAD_KEY = 256;

  /** The id of the first function table of a proof (the fixed tables' ids are below 32). */
  public static final int FIRST_ID = 64;

  private final int id;
  private final int from;
  private final long[] values;
  private final int outputs; // 0: two columns; else a third column ranging over [0, outputs)

  /**
   * @param id the table id ({@link #FIRST_ID} + index)
   * @param from the first key (−128 for int8 codes, 0 for differences)
   * @param values f(from), f(from + 1), ..., {@value #KEYS} values
   */
  public FunctionTable(int id, int from, long[] values) {
    this(id, from, values, 0);
  }

  /**
   * A table with a third column that ranges over [0, outputs) beside each (k, f(k)) (proof format
   * 12: a softmax's (d, exp[d], y) in one lookup checks its exponential and its output's range, y ∈
   * [0, Q]); the padding row is (PAD_KEY, 0, 0). Row k·outputs + y holds (from + k, f(from + k),
   * y).
   *
   * @param outputs 0 for a two-column table, else the third column's count of values
   */
  public FunctionTable(int id, int from, long[] values, int outputs) {
    if (values.length != KEYS) {
      throw new IllegalArgumentException("a function table has " + KEYS + " values");
    }
    if (from + KEYS > PAD_KEY || from < -PAD_KEY) {
      throw new IllegalArgumentException("keys must stay below the padding key");
    }
    if (outputs < 0 || outputs > 1 << 12) {
      throw new IllegalArgumentException(
          "a third column of 0 (none) to 4096 values, not " + outputs);
    }
    this.id = id;
    this.from = from;
    this.values = values.clone();
    this.outputs = outputs;
  }

  public int from() {
    return from;
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public int arity() {
    return outputs == 0 ? 2 : 3;
  }

  /** Rows per key: the third column's count of values, or 1. */
  private int perKey() {
    return Math.max(1, outputs);
  }

  @Override
  public int size() {
    return KEYS * perKey() + 1;
  }

  @Override
  public long entry(int row, int column) {
    int pad = KEYS * perKey();
    if (row == pad) {
      return column == 0 ? PAD_KEY : 0;
    }
    int k = row / perKey();
    return switch (column) {
      case 0 -> from + k;
      case 1 -> values[k];
      default -> row % perKey();
    };
  }

  @Override
  public int indexOf(long c0, long c1) {
    return indexOf(c0, c1, 0);
  }

  @Override
  public int indexOf(long c0, long c1, long c2) {
    if (Long.compareUnsigned(c2, perKey()) >= 0) {
      return -1;
    }
    if (c0 == PAD_KEY) {
      return c1 == 0 && c2 == 0 ? KEYS * perKey() : -1;
    }
    long k = c0 - from;
    if (k < 0 || k >= KEYS || values[(int) k] != c1) {
      return -1;
    }
    return (int) (k * perKey() + c2);
  }

  /**
   * The table side of LogUp: with a third column, the rows of one key fold to (id + β·k + β^2·f(k))
   * + β^3·y, affine in y, so each key's rows in use cost one base-field batch inversion ({@link
   * AffineRows}) instead of a fold into K and an inversion in K per row.
   */
  @Override
  public GoldilocksExt2 weightedInverseSum(
      Multiplicities multiplicities, GoldilocksExt2 alpha, GoldilocksExt2 beta) {
    GoldilocksExt2 beta2 = beta.mul(beta), beta3 = beta2.mul(beta);
    if (outputs == 0 || beta3.isZero()) {
      return Table.super.weightedInverseSum(multiplicities, alpha, beta);
    }
    int used = multiplicities.used();
    GoldilocksExt2 sum = GoldilocksExt2.ZERO;
    int from = 0;
    while (from < used) {
      int row = multiplicities.row(from);
      int k = row / outputs;
      int to = AffineRows.firstAtLeast(multiplicities, from, used, (long) (k + 1) * outputs);
      GoldilocksExt2 fixed =
          GoldilocksExt2.of(id)
              .add(beta.mulBase(Goldilocks.fromSigned(entry(row, 0))))
              .add(beta2.mulBase(Goldilocks.fromSigned(entry(row, 1))));
      sum =
          sum.add(
              AffineRows.sum(alpha, fixed, beta3, multiplicities, from, to, -(long) k * outputs));
      from = to;
    }
    return sum;
  }

  /** Whether the two tables have the same rows (their ids aside). */
  public boolean sameRows(FunctionTable other) {
    return from == other.from && outputs == other.outputs && Arrays.equals(values, other.values);
  }

  @Override
  public String toString() {
    return "FunctionTable["
        + id
        + ", keys "
        + from
        + ".."
        + (from + KEYS - 1)
        + (outputs == 0 ? "" : ", outputs 0.." + (outputs - 1))
        + "]";
  }
}
