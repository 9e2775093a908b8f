package io.vouch.chain.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReceiptMerkleTreeTest {
  static List<Bytes32> leaves(int n, long seed) {
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
  void everyLeafsProofLeadsToTheRoot(int n) {
    List<Bytes32> leaves = leaves(n, n);
    ReceiptMerkleTree tree = new ReceiptMerkleTree(leaves);
    for (int i = 0; i < n; i++) {
      assertThat(ReceiptMerkleTree.rootFrom(leaves.get(i), tree.proof(i))).isEqualTo(tree.root());
    }
  }

  @Test
  void aSingleLeafIsItsOwnRoot() {
    Bytes32 leaf = leaves(1, 7).getFirst();
    assertThat(new ReceiptMerkleTree(List.of(leaf)).root()).isEqualTo(leaf);
  }

  @Test
  void changingAnyLeafChangesTheRoot() {
    List<Bytes32> leaves = new ArrayList<>(leaves(9, 3));
    Bytes32 before = new ReceiptMerkleTree(leaves).root();
    leaves.set(8, leaves(1, 4).getFirst());
    assertThat(new ReceiptMerkleTree(leaves).root()).isNotEqualTo(before);
  }

  @Test
  void anEmptyTreeIsRefused() {
    assertThatThrownBy(() -> new ReceiptMerkleTree(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
  }
}
