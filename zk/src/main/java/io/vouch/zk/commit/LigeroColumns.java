package io.vouch.zk.commit;

import java.util.Arrays;

/**
 * Opened columns of a Ligero commitment: the values of every Merkle leaf that holds a queried
 * column (leaves in increasing order, each its {@link Ligero#leafColumns} adjacent columns, column
 * after column, {@code rows} base-field elements each) and the multi-proof for those leaves.
 */
public final class LigeroColumns {
  private final long[] values;
  private final byte[][] siblings;

  /** Copies both arrays: later changes to them do not reach this object. */
  public LigeroColumns(long[] values, byte[][] siblings) {
    this(values.clone(), Arrays.stream(siblings).map(byte[]::clone).toArray(byte[][]::new), true);
  }

  /** Takes ownership of freshly made arrays (the prover's and the parser's own). */
  private LigeroColumns(long[] values, byte[][] siblings, boolean owned) {
    this.values = values;
    this.siblings = siblings;
  }

  /**
   * Takes ownership of freshly made arrays without copying them: for the proof parser, which makes
   * them and never touches them again.
   */
  public static LigeroColumns owning(long[] values, byte[][] siblings) {
    return new LigeroColumns(values, siblings, true);
  }

  public long[] values() {
    return values.clone();
  }

  public byte[][] siblings() {
    return Arrays.stream(siblings).map(byte[]::clone).toArray(byte[][]::new);
  }

  /** The value at {@code index} of {@link #values()}, without copying the array. */
  public long valueAt(int index) {
    return values[index];
  }

  public int valueCount() {
    return values.length;
  }

  public int siblingCount() {
    return siblings.length;
  }

  /** Writes every value as an 8-byte little-endian word into {@code out} from {@code offset}. */
  public void writeValues(byte[] out, int offset) {
    java.nio.ByteBuffer.wrap(out, offset, 8 * values.length)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .asLongBuffer()
        .put(values);
  }

  /** Copies sibling {@code index} (32 bytes) into {@code out} at {@code offset}. */
  public void copySibling(int index, byte[] out, int offset) {
    System.arraycopy(siblings[index], 0, out, offset, siblings[index].length);
  }

  /** The values themselves (Ligero's verifier reads, never writes, them). */
  long[] valuesView() {
    return values;
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
