package io.vouch.zk.commit;

import java.util.Arrays;

/**
 * Opened columns of a Ligero commitment: the distinct queried column indices' values (column after
 * column, {@code rows} base-field elements each, in increasing column order) and the Merkle
 * multi-proof for them.
 */
public record LigeroColumns(long[] values, byte[][] siblings) {
  public LigeroColumns {
    values = values.clone();
    siblings = Arrays.stream(siblings).map(byte[]::clone).toArray(byte[][]::new);
  }

  @Override
  public long[] values() {
    return values.clone();
  }

  @Override
  public byte[][] siblings() {
    return Arrays.stream(siblings).map(byte[]::clone).toArray(byte[][]::new);
  }

  long valueAt(int index) {
    return values[index];
  }

  int valueCount() {
    return values.length;
  }

  byte[][] siblingsView() {
    return siblings;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LigeroColumns c
        && Arrays.equals(values, c.values)
        && Arrays.deepEquals(siblings, c.siblings);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Arrays.deepHashCode(siblings);
  }

  @Override
  public String toString() {
    return "LigeroColumns[" + values.length + " values, " + siblings.length + " siblings]";
  }
}
