package io.vouch.zk.commit;

import java.util.Arrays;

/**
 * Opened columns of a Ligero commitment: the values of every Merkle leaf that holds a queried
 * column (leaves in increasing order, each its {@link Ligero#leafColumns} adjacent columns, column
 * after column, {@code rows} base-field elements each) and the multi-proof for those leaves.
 */
public final class LigeroColumns {
  private final long[] values;
  private final byte[][] siblings; // null when made from flat bytes (the parser's form)
  private final byte[] flatSiblings; // the siblings one after another, when all are 32 bytes

  /** Copies both arrays: later changes to them do not reach this object. */
  public LigeroColumns(long[] values, byte[][] siblings) {
    this(values.clone(), Arrays.stream(siblings).map(byte[]::clone).toArray(byte[][]::new), true);
  }

  /** Takes ownership of freshly made arrays (the prover's and the parser's own). */
  private LigeroColumns(long[] values, byte[][] siblings, boolean owned) {
    this.values = values;
    this.siblings = siblings;
    boolean whole = true;
    for (byte[] s : siblings) {
      whole &= s.length == MerkleTree.HASH_BYTES;
    }
    byte[] flat = null;
    if (whole) {
      flat = new byte[siblings.length * MerkleTree.HASH_BYTES];
      for (int i = 0; i < siblings.length; i++) {
        System.arraycopy(siblings[i], 0, flat, i * MerkleTree.HASH_BYTES, MerkleTree.HASH_BYTES);
      }
    }
    this.flatSiblings = flat;
  }

  private LigeroColumns(long[] values, byte[] flatSiblings) {
    this.values = values;
    this.siblings = null;
    this.flatSiblings = flatSiblings;
  }

  /**
   * Takes ownership of freshly made arrays without copying them: the values and the siblings as one
   * array of 32-byte hashes, one after another (the parser's form).
   */
  public static LigeroColumns owningFlat(long[] values, byte[] flatSiblings) {
    if (flatSiblings.length % MerkleTree.HASH_BYTES != 0) {
      throw new IllegalArgumentException("siblings are 32 bytes each");
    }
    return new LigeroColumns(values, flatSiblings);
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
    return Arrays.stream(siblingsView()).map(byte[]::clone).toArray(byte[][]::new);
  }

  /** The value at {@code index} of {@link #values()}, without copying the array. */
  public long valueAt(int index) {
    return values[index];
  }

  public int valueCount() {
    return values.length;
  }

  public int siblingCount() {
    return siblings != null ? siblings.length : flatSiblings.length / MerkleTree.HASH_BYTES;
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
    if (siblings != null) {
      System.arraycopy(siblings[index], 0, out, offset, siblings[index].length);
    } else {
      int h = MerkleTree.HASH_BYTES;
      System.arraycopy(flatSiblings, index * h, out, offset, h);
    }
  }

  /** The values themselves (Ligero's verifier reads, never writes, them). */
  long[] valuesView() {
    return values;
  }

  byte[][] siblingsView() {
    if (siblings != null) {
      return siblings;
    }
    int h = MerkleTree.HASH_BYTES;
    byte[][] out = new byte[flatSiblings.length / h][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Arrays.copyOfRange(flatSiblings, i * h, (i + 1) * h);
    }
    return out;
  }

  /** The siblings one after another, or null if some sibling is not 32 bytes. */
  byte[] flatSiblingsView() {
    return flatSiblings;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LigeroColumns c
        && Arrays.equals(values, c.values)
        && Arrays.deepEquals(siblingsView(), c.siblingsView());
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Arrays.deepHashCode(siblingsView());
  }

  @Override
  public String toString() {
    return "LigeroColumns[" + values.length + " values, " + siblingCount() + " siblings]";
  }
}
