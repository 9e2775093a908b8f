package io.vouch.chain.settlement;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree whose root a node posts with {@code InferenceHub.postReceiptRoot}, over the
 * receipts' EIP-712 digests in the order given.
 *
 * <ul>
 *   <li>a leaf is {@code keccak256(0x00 ‖ node ‖ receiptDigest)} (53 bytes): the posting node is
 *       bound into every leaf, so a root proves receipts only in the batch of the node that built
 *       it ({@code InferenceHub.receiptLeaf});
 *   <li>an inner node is {@code keccak256(0x01 ‖ min(a, b) ‖ max(a, b)) } (65 bytes): its two
 *       children sorted, so a proof is just the list of siblings; the tags keep leaves and inner
 *       nodes apart, so an inner node never verifies as a receipt;
 *   <li>a level with an odd count promotes its last node unchanged.
 * </ul>
 *
 * {@code InferenceHub.verifyReceiptInclusion} folds a proof the same way ({@link #rootFrom}).
 */
public final class ReceiptMerkleTree {
  private static final byte LEAF_TAG = 0x00;
  private static final byte NODE_TAG = 0x01;

  private final Address node;
  private final List<List<Bytes32>> levels = new ArrayList<>();

  /**
   * @param node the node that posts the root (the batch's node on chain)
   * @param receiptDigests the EIP-712 digests of the receipts, in batch order
   */
  public ReceiptMerkleTree(Address node, List<Bytes32> receiptDigests) {
    if (receiptDigests.isEmpty()) {
      throw new IllegalArgumentException("a receipt tree needs at least one receipt digest");
    }
    this.node = node;
    List<Bytes32> level = receiptDigests.stream().map(d -> leaf(node, d)).toList();
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

  /** The node whose address is in every leaf. */
  public Address node() {
    return node;
  }

  public Bytes32 root() {
    return levels.getLast().getFirst();
  }

  public int size() {
    return levels.getFirst().size();
  }

  /** The siblings from the leaf of receipt {@code index} up to the root. */
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

  /** The leaf of a receipt in {@code node}'s tree: {@code keccak256(0x00 ‖ node ‖ digest)}. */
  public static Bytes32 leaf(Address node, Bytes32 receiptDigest) {
    byte[] m = new byte[1 + 20 + 32];
    m[0] = LEAF_TAG;
    System.arraycopy(node.toArray(), 0, m, 1, 20);
    System.arraycopy(receiptDigest.toArray(), 0, m, 21, 32);
    return Keccak.hash(m);
  }

  /**
   * Recomputes the root from a receipt digest, the node of its batch and its proof (what the hub
   * does on chain).
   */
  public static Bytes32 rootFrom(Address node, Bytes32 receiptDigest, List<Bytes32> proof) {
    Bytes32 h = leaf(node, receiptDigest);
    for (Bytes32 p : proof) {
      h = parent(h, p);
    }
    return h;
  }

  static Bytes32 parent(Bytes32 a, Bytes32 b) {
    byte[] m = new byte[1 + 64];
    Bytes32 lo = a.compareTo(b) <= 0 ? a : b;
    Bytes32 hi = lo == a ? b : a;
    m[0] = NODE_TAG;
    System.arraycopy(lo.toArray(), 0, m, 1, 32);
    System.arraycopy(hi.toArray(), 0, m, 33, 32);
    return Keccak.hash(m);
  }
}
