package io.vouch.zk.lookup;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * How often each row of one lookup table is looked up, kept sparse: the rows looked up (ascending)
 * and their counts, for a table of {@code size} rows. A clamp table has 2^18 rows of which a proof
 * uses a few hundred, so the prover sends, and the verifier reads, hashes and sums over, only
 * those.
 */
public record Multiplicities(int size, int[] rows, long[] counts) {
  public Multiplicities {
    if (rows.length != counts.length) {
      throw new IllegalArgumentException("one count per row");
    }
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 0 || rows[i] >= size || (i > 0 && rows[i] <= rows[i - 1])) {
        throw new IllegalArgumentException(
            "rows must ascend strictly within the table's " + size + " rows");
      }
    }
    rows = rows.clone();
    counts = counts.clone();
  }

  /** The sparse form of one count per table row. */
  public static Multiplicities of(long[] dense) {
    int used = 0;
    for (long m : dense) {
      used += m != 0 ? 1 : 0;
    }
    int[] rows = new int[used];
    long[] counts = new long[used];
    int k = 0;
    for (int row = 0; row < dense.length; row++) {
      if (dense[row] != 0) {
        rows[k] = row;
        counts[k++] = dense[row];
      }
    }
    return new Multiplicities(dense.length, rows, counts);
  }

  /** One count per table row. */
  public long[] dense() {
    long[] out = new long[size];
    for (int i = 0; i < rows.length; i++) {
      out[rows[i]] = counts[i];
    }
    return out;
  }

  /** How many rows are looked up. */
  public int used() {
    return rows.length;
  }

  @Override
  public int[] rows() {
    return rows.clone();
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  int row(int i) {
    return rows[i];
  }

  long count(int i) {
    return counts[i];
  }

  /**
   * The bytes a proof carries after the table size, and the transcript absorbs: the count of rows
   * looked up, then per row the gap from the previous one (row − previous − 1, the first from −1)
   * and its count, minimal LEB128 varints.
   */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(5 + 8 * rows.length);
    varint(out, rows.length);
    int previous = -1;
    for (int i = 0; i < rows.length; i++) {
      varint(out, rows[i] - previous - 1L);
      varint(out, counts[i]);
      previous = rows[i];
    }
    return out.toByteArray();
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiplicities m
        && size == m.size
        && Arrays.equals(rows, m.rows)
        && Arrays.equals(counts, m.counts);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * size + Arrays.hashCode(rows)) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "Multiplicities[" + rows.length + " of " + size + " rows]";
  }
}
