package io.vouch.zk.lookup;

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

  /**
   * @param id the table id ({@link #FIRST_ID} + index)
   * @param from the first key (−128 for int8 codes, 0 for differences)
   * @param values f(from), f(from + 1), ..., {@value #KEYS} values
   */
  public FunctionTable(int id, int from, long[] values) {
    if (values.length != KEYS) {
      throw new IllegalArgumentException("a function table has " + KEYS + " values");
    }
    if (from + KEYS > PAD_KEY || from < -PAD_KEY) {
      throw new IllegalArgumentException("keys must stay below the padding key");
    }
    this.id = id;
    this.from = from;
    this.values = values.clone();
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
    return 2;
  }

  @Override
  public int size() {
    return KEYS + 1;
  }

  @Override
  public long entry(int row, int column) {
    if (row == KEYS) {
      return column == 0 ? PAD_KEY : 0;
    }
    return column == 0 ? from + row : values[row];
  }

  @Override
  public int indexOf(long c0, long c1) {
    if (c0 == PAD_KEY) {
      return c1 == 0 ? KEYS : -1;
    }
    long row = c0 - from;
    if (row < 0 || row >= KEYS || values[(int) row] != c1) {
      return -1;
    }
    return (int) row;
  }

  /** Whether the two tables have the same rows (their ids aside). */
  public boolean sameRows(FunctionTable other) {
    return from == other.from && Arrays.equals(values, other.values);
  }

  @Override
  public String toString() {
    return "FunctionTable[" + id + ", keys " + from + ".." + (from + KEYS - 1) + "]";
  }
}
