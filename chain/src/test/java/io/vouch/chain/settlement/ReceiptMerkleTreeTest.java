package io.vouch.chain.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReceiptMerkleTreeTest {
  static final Address NODE = Address.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  static final Address OTHER_NODE = Address.fromHex("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");

  static List<Bytes32> digests(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Bytes32> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[32];
      r.nextBytes(b);
      out.add(Bytes32.wrap(b));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 8, 13, 100})
  void everyReceiptsProofLeadsToTheRoot(int n) {
    List<Bytes32> digests = digests(n, n);
    ReceiptMerkleTree tree = new ReceiptMerkleTree(NODE, digests);
    for (int i = 0; i < n; i++) {
      assertThat(ReceiptMerkleTree.rootFrom(NODE, digests.get(i), tree.proof(i)))
          .isEqualTo(tree.root());
    }
  }

  @Test
  void aLeafIsKeccakOfTagZeroTheNodeAndTheDigest() {
    Bytes32 digest = digests(1, 7).getFirst();
    byte[] m = new byte[53];
    System.arraycopy(NODE.toArray(), 0, m, 1, 20);
    System.arraycopy(digest.toArray(), 0, m, 21, 32);

    assertThat(ReceiptMerkleTree.leaf(NODE, digest)).isEqualTo(Keccak.hash(m));
    assertThat(new ReceiptMerkleTree(NODE, List.of(digest)).root()).isEqualTo(Keccak.hash(m));
  }

  @Test
  void anInnerNodeIsKeccakOfTagOneAndTheSortedPair() {
    List<Bytes32> d = digests(2, 8);
    Bytes32 a = ReceiptMerkleTree.leaf(NODE, d.get(0));
    Bytes32 b = ReceiptMerkleTree.leaf(NODE, d.get(1));
    Bytes32 lo = a.compareTo(b) < 0 ? a : b;
    Bytes32 hi = lo == a ? b : a;
    byte[] m = new byte[65];
    m[0] = 1;
    System.arraycopy(lo.toArray(), 0, m, 1, 32);
    System.arraycopy(hi.toArray(), 0, m, 33, 32);

    assertThat(new ReceiptMerkleTree(NODE, d).root()).isEqualTo(Keccak.hash(m));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 8, 13})
  void noInnerNodeVerifiesAsAReceipt(int n) {
    List<Bytes32> digests = digests(n, 10 + n);
    ReceiptMerkleTree tree = new ReceiptMerkleTree(NODE, digests);
    List<Bytes32> proof = tree.proof(0);
    for (int k = 1; k <= proof.size(); k++) {
      Bytes32 inner = ReceiptMerkleTree.rootFrom(NODE, digests.get(0), proof.subList(0, k));
      assertThat(ReceiptMerkleTree.rootFrom(NODE, inner, proof.subList(k, proof.size())))
          .as("inner node at height %d", k)
          .isNotEqualTo(tree.root());
    }
  }

  @Test
  void theSameReceiptsUnderAnotherNodeHaveAnotherRootAndNoCommonProof() {
    List<Bytes32> digests = digests(9, 3);
    ReceiptMerkleTree mine = new ReceiptMerkleTree(NODE, digests);
    ReceiptMerkleTree theirs = new ReceiptMerkleTree(OTHER_NODE, digests);

    assertThat(theirs.root()).isNotEqualTo(mine.root());
    assertThat(ReceiptMerkleTree.rootFrom(OTHER_NODE, digests.get(4), mine.proof(4)))
        .isNotEqualTo(mine.root());
  }

  @Test
  void changingAnyReceiptChangesTheRoot() {
    List<Bytes32> digests = new ArrayList<>(digests(9, 3));
    Bytes32 before = new ReceiptMerkleTree(NODE, digests).root();
    digests.set(8, digests(1, 4).getFirst());
    assertThat(new ReceiptMerkleTree(NODE, digests).root()).isNotEqualTo(before);
  }

  @Test
  void anEmptyTreeIsRefused() {
    assertThatThrownBy(() -> new ReceiptMerkleTree(NODE, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
  }
}
