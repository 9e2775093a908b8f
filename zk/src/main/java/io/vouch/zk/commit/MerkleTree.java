package io.vouch.zk.commit;

import io.vouch.zk.InvalidProofException;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A binary SHA-256 Merkle tree over a power-of-two number of leaves.
 *
 * <p>Leaves are hashed as H(0x00 ‖ data) and inner nodes as H(0x01 ‖ left ‖ right), so a leaf can
 * never be passed off as an inner node. Several leaves open together with one multi-proof: the
 * siblings that cannot be computed from the opened leaves, level by level, left to right; the
 * verifier consumes every one of them, so a proof with a missing or extra sibling is rejected.
 */
public final class MerkleTree {
  public static final int HASH_BYTES = 32;

  /** levels[0] holds leaf hashes; levels[depth] holds the root. Each level is a flat byte array. */
  private final byte[][] levels;

  private final int leafCount;

  private MerkleTree(byte[][] levels, int leafCount) {
    this.levels = levels;
    this.leafCount = leafCount;
  }

  /**
   * Builds the tree over leaves given as raw data (hashed here with the leaf prefix): the
   * definition the prover's streamed leaves ({@link #ofLeafHashes}) must agree with.
   */
  public static MerkleTree build(byte[][] leaves) {
    int n = leaves.length;
    if (n == 0 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("Merkle tree needs a power-of-two leaf count, got " + n);
    }
    MessageDigest sha = sha256();
    byte[] hashes = new byte[n * HASH_BYTES];
    for (int i = 0; i < n; i++) {
      sha.update((byte) 0);
      sha.update(leaves[i]);
      digestInto(sha, hashes, i);
    }
    return ofLeafHashes(hashes);
  }

  /**
   * Builds the tree over leaves already hashed (each H(0x00 ‖ data), 32 bytes, one after the
   * other): the same tree as {@link #build} over that data, for leaves hashed as they were
   * streamed.
   */
  public static MerkleTree ofLeafHashes(byte[] leafHashes) {
    if (leafHashes.length % HASH_BYTES != 0) {
      throw new IllegalArgumentException("leaf hashes must be 32 bytes each");
    }
    int n = leafHashes.length / HASH_BYTES;
    if (n == 0 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("Merkle tree needs a power-of-two leaf count, got " + n);
    }
    int depth = Integer.numberOfTrailingZeros(n);
    byte[][] levels = new byte[depth + 1][];
    levels[0] = leafHashes.clone();
    MessageDigest sha = sha256();
    for (int level = 1; level <= depth; level++) {
      levels[level] = new byte[(n >> level) * HASH_BYTES];
      hashNodes(sha, levels, level, 0, n >> level);
    }
    return new MerkleTree(levels, n);
  }

  /** Bytes of the hashes this tree holds (every level): 64 bytes per leaf, less 32. */
  public long heldBytes() {
    long bytes = 0;
    for (byte[] level : levels) {
      bytes += level.length;
    }
    return bytes;
  }

  /** Computes nodes [from, to) of {@code level} from their children one level below. */
  private static void hashNodes(MessageDigest sha, byte[][] levels, int level, int from, int to) {
    byte[] below = levels[level - 1];
    byte[] here = levels[level];
    for (int i = from; i < to; i++) {
      sha.update((byte) 1);
      sha.update(below, 2 * i * HASH_BYTES, 2 * HASH_BYTES);
      digestInto(sha, here, i);
    }
  }

  public byte[] root() {
    return levels[levels.length - 1].clone();
  }

  public int leafCount() {
    return leafCount;
  }

  /**
   * The multi-proof for the given leaves.
   *
   * @param indices strictly increasing leaf indices
   */
  public byte[][] prove(int[] indices) {
    checkIndices(indices, leafCount);
    List<byte[]> siblings = new ArrayList<>();
    int[] known = indices.clone();
    for (int level = 0; level < levels.length - 1; level++) {
      int[] parents = new int[known.length];
      int count = 0;
      for (int k = 0; k < known.length; k++) {
        int i = known[k];
        if ((i & 1) == 0 && k + 1 < known.length && known[k + 1] == i + 1) {
          k++; // both children known: nothing to send
        } else {
          int s = i ^ 1;
          siblings.add(Arrays.copyOfRange(levels[level], s * HASH_BYTES, (s + 1) * HASH_BYTES));
        }
        parents[count++] = i >> 1;
      }
      known = Arrays.copyOf(parents, count);
    }
    return siblings.toArray(byte[][]::new);
  }

  /**
   * Recomputes the root from opened leaves (raw data, in index order) and a multi-proof, and
   * compares it with the expected root.
   *
   * @throws InvalidProofException if the proof is malformed or the root differs
   */
  public static void verify(
      byte[] root, int leafCount, int[] indices, byte[][] leaves, byte[][] siblings) {
    checkOpening(leafCount, indices, leaves.length);
    MessageDigest sha = threadSha256();
    byte[] hashes = new byte[leaves.length * HASH_BYTES];
    for (int k = 0; k < leaves.length; k++) {
      sha.update((byte) 0);
      sha.update(leaves[k]);
      digestInto(sha, hashes, k);
    }
    verifyFromLeafHashes(sha, root, leafCount, indices, hashes, flatten(siblings), siblings.length);
  }

  /** The siblings one after another; a sibling that is not 32 bytes is refused. */
  private static byte[] flatten(byte[][] siblings) {
    byte[] flat = new byte[siblings.length * HASH_BYTES];
    for (int i = 0; i < siblings.length; i++) {
      if (siblings[i].length != HASH_BYTES) {
        throw new InvalidProofException("Merkle sibling of " + siblings[i].length + " bytes");
      }
      System.arraycopy(siblings[i], 0, flat, i * HASH_BYTES, HASH_BYTES);
    }
    return flat;
  }

  /**
   * {@link #verify(byte[], int, int[], byte[][], byte[][])} for leaves of {@code leafValues} field
   * elements each, taken in order from {@code values} and hashed as their 8-byte little-endian
   * words (the bytes {@code Ligero} commits), without making a byte array per leaf.
   */
  public static void verifyLongLeaves(
      byte[] root,
      int leafCount,
      int[] indices,
      long[] values,
      int leafValues,
      byte[] siblings,
      int siblingCount) {
    int leaves = leafValues == 0 ? 0 : values.length / leafValues;
    if ((long) leaves * leafValues != values.length) {
      throw new InvalidProofException("Merkle opening's values do not fill whole leaves");
    }
    checkOpening(leafCount, indices, leaves);
    MessageDigest sha = threadSha256();
    byte[] hashes = new byte[leaves * HASH_BYTES];
    byte[] leaf = new byte[1 + 8 * leafValues]; // the 0x00 prefix, then the words
    for (int k = 0; k < leaves; k++) {
      int from = k * leafValues;
      for (int i = 0; i < leafValues; i++) {
        LONG_LE.set(leaf, 1 + 8 * i, values[from + i]);
      }
      sha.update(leaf);
      digestInto(sha, hashes, k);
    }
    if (siblings.length != siblingCount * HASH_BYTES) {
      throw new IllegalArgumentException("siblings must be 32 bytes each");
    }
    verifyFromLeafHashes(sha, root, leafCount, indices, hashes, siblings, siblingCount);
  }

  private static final java.lang.invoke.VarHandle LONG_LE =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private static void checkOpening(int leafCount, int[] indices, int leaves) {
    if (leafCount <= 0 || Integer.bitCount(leafCount) != 1) {
      throw new IllegalArgumentException("leaf count must be a power of two, got " + leafCount);
    }
    try {
      checkIndices(indices, leafCount);
    } catch (IllegalArgumentException e) {
      throw new InvalidProofException("Merkle opening: " + e.getMessage());
    }
    if (leaves != indices.length) {
      throw new InvalidProofException(
          "Merkle opening has " + leaves + " leaves for " + indices.length + " indices");
    }
  }

  /**
   * Climbs from the opened leaves' hashes (slot k of {@code hashes} for {@code indices[k]}) to the
   * root, level by level, in place: a parent's slot is never above its first child's, and both
   * children are read into the digest before the parent is written.
   */
  private static void verifyFromLeafHashes(
      MessageDigest sha,
      byte[] root,
      int leafCount,
      int[] indices,
      byte[] hashes,
      byte[] siblings,
      int siblingCount) {
    int[] known = indices.clone();
    int n = known.length;
    byte[] node = new byte[1 + 2 * HASH_BYTES];
    node[0] = 1;
    int next = 0;
    int depth = Integer.numberOfTrailingZeros(leafCount);
    for (int level = 0; level < depth; level++) {
      int count = 0;
      for (int k = 0; k < n; k++) {
        int i = known[k];
        if ((i & 1) == 0 && k + 1 < n && known[k + 1] == i + 1) {
          System.arraycopy(hashes, k * HASH_BYTES, node, 1, 2 * HASH_BYTES);
          k++;
        } else {
          if (next >= siblingCount) {
            throw new InvalidProofException("Merkle multi-proof is missing siblings");
          }
          int mine = (i & 1) == 0 ? 1 : 1 + HASH_BYTES;
          int theirs = (i & 1) == 0 ? 1 + HASH_BYTES : 1;
          System.arraycopy(hashes, k * HASH_BYTES, node, mine, HASH_BYTES);
          System.arraycopy(siblings, next * HASH_BYTES, node, theirs, HASH_BYTES);
          next++;
        }
        sha.update(node);
        digestInto(sha, hashes, count);
        known[count++] = i >> 1;
      }
      n = count;
    }
    if (next != siblingCount) {
      throw new InvalidProofException(
          "Merkle multi-proof has " + (siblingCount - next) + " unused siblings");
    }
    if (!Arrays.equals(hashes, 0, HASH_BYTES, root, 0, root.length)) {
      throw new InvalidProofException("Merkle opening does not lead to the committed root");
    }
  }

  private static void checkIndices(int[] indices, int leafCount) {
    if (indices.length == 0) {
      throw new IllegalArgumentException("open at least one leaf");
    }
    for (int k = 0; k < indices.length; k++) {
      if (indices[k] < 0 || indices[k] >= leafCount || (k > 0 && indices[k] <= indices[k - 1])) {
        throw new IllegalArgumentException(
            "leaf indices must be strictly increasing and below " + leafCount);
      }
    }
  }

  /** Finishes the digest straight into hash slot {@code index} of a level. */
  private static void digestInto(MessageDigest sha, byte[] level, int index) {
    try {
      sha.digest(level, index * HASH_BYTES, HASH_BYTES);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 digest into a 32-byte slot failed", e);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK must provide SHA-256", e);
    }
  }

  /**
   * A SHA-256 digest of this thread's own, reset, for verification: {@code getInstance} looks up
   * the provider on every call, a cost the verifier paid per opening. Callers must not hold it
   * across calls that may use it too (the climb and the leaf hashing run in one method).
   */
  private static MessageDigest threadSha256() {
    MessageDigest sha = THREAD_SHA.get();
    sha.reset();
    return sha;
  }

  private static final ThreadLocal<MessageDigest> THREAD_SHA =
      ThreadLocal.withInitial(MerkleTree::sha256);
}
