package io.vouch.chain.settlement;

import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree whose root a node posts with {@code InferenceHub.postReceiptRoot}: leaves are the
 * receipts' EIP-712 digests in the order given; a parent is keccak256 of its two children sorted
 * (smaller first), so a proof is just the list of siblings; a level with an odd count promotes its
 * last node unchanged. {@code InferenceHub.verifyReceiptInclusion} folds a proof the same way.
 */
public final class ReceiptMerkleTree {
  private final List<List<Bytes32>> levels = new ArrayList<>();

  public ReceiptMerkleTree(List<Bytes32> leaves) {
    if (leaves.isEmpty()) {
      throw new IllegalArgumentException("a receipt tree needs at least one receipt digest");
    }
    List<Bytes32> level = List.copyOf(leaves);
    levels.add(level);
    while (level.size() > 1) {
      List<Bytes32> next = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        next.add(i + 1 < level.size() ? parent(level.get(i), level.get(i + 1)) : level.get(i));
      }
      level = List.copyOf(next);
      levels.add(level);
    }
  }

  public Bytes32 root() {
    return levels.getLast().getFirst();
  }

  public int size() {
    return levels.getFirst().size();
  }

  /** The siblings from leaf {@code index} up to the root. */
  public List<Bytes32> proof(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("leaf " + index + " of a tree of " + size());
    }
    List<Bytes32> proof = new ArrayList<>();
    int i = index;
    for (int l = 0; l < levels.size() - 1; l++) {
      List<Bytes32> level = levels.get(l);
      int sibling = i ^ 1;
      if (sibling < level.size()) {
        proof.add(level.get(sibling));
      }
      i /= 2;
    }
    return proof;
  }

  /** Recomputes the root from a leaf and its proof (what the hub does on chain). */
  public static Bytes32 rootFrom(Bytes32 leaf, List<Bytes32> proof) {
    Bytes32 h = leaf;
    for (Bytes32 p : proof) {
      h = parent(h, p);
    }
    return h;
  }

  static Bytes32 parent(Bytes32 a, Bytes32 b) {
    byte[] m = new byte[64];
    Bytes32 lo = a.compareTo(b) <= 0 ? a : b;
    Bytes32 hi = lo == a ? b : a;
    System.arraycopy(lo.toArray(), 0, m, 0, 32);
    System.arraycopy(hi.toArray(), 0, m, 32, 32);
    return Keccak.hash(m);
  }
}
