package io.vouch.zk.commit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.zk.InvalidProofException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MerkleTreeTest {
  static LongStream seeds() {
    return LongStream.range(1, 13);
  }

  private record Case(MerkleTree tree, byte[][] leaves, int[] indices) {
    byte[][] opened() {
      return Arrays.stream(indices).mapToObj(i -> leaves[i]).toArray(byte[][]::new);
    }
  }

  private static Case randomCase(long seed) {
    var rnd = new SplittableRandom(seed);
    int n = 1 << rnd.nextInt(0, 8);
    byte[][] leaves = new byte[n][];
    for (int i = 0; i < n; i++) {
      leaves[i] = new byte[1 + rnd.nextInt(40)];
      rnd.nextBytes(leaves[i]);
    }
    int[] indices = rnd.ints(1 + rnd.nextInt(Math.min(n, 12)), 0, n).distinct().sorted().toArray();
    return new Case(MerkleTree.build(leaves), leaves, indices);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void multiProofOfHonestLeavesVerifies(long seed) {
    Case c = randomCase(seed);
    assertThatCode(() ->
            MerkleTree.verify(
                c.tree.root(), c.leaves.length, c.indices, c.opened(), c.tree.prove(c.indices)))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void alteredLeafIsRejected(long seed) {
    Case c = randomCase(seed);
    byte[][] opened = c.opened();
    opened[0] = opened[0].clone();
    opened[0][0] ^= 1;
    assertThatThrownBy(() ->
            MerkleTree.verify(
                c.tree.root(), c.leaves.length, c.indices, opened, c.tree.prove(c.indices)))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("root");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void alteredSiblingIsRejected(long seed) {
    Case c = randomCase(seed);
    byte[][] siblings = c.tree.prove(c.indices);
    if (siblings.length == 0) {
      return; // every leaf opened: nothing to alter
    }
    siblings[siblings.length - 1][5] ^= 0x40;
    assertThatThrownBy(() ->
            MerkleTree.verify(c.tree.root(), c.leaves.length, c.indices, c.opened(), siblings))
        .isInstanceOf(InvalidProofException.class);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void extraOrMissingSiblingIsRejected(long seed) {
    Case c = randomCase(seed);
    byte[][] siblings = c.tree.prove(c.indices);
    byte[][] extra = Arrays.copyOf(siblings, siblings.length + 1);
    extra[siblings.length] = new byte[32];
    assertThatThrownBy(
            () -> MerkleTree.verify(c.tree.root(), c.leaves.length, c.indices, c.opened(), extra))
        .hasMessageContaining("unused");
    if (siblings.length > 0) {
      byte[][] missing = Arrays.copyOf(siblings, siblings.length - 1);
      assertThatThrownBy(() ->
              MerkleTree.verify(c.tree.root(), c.leaves.length, c.indices, c.opened(), missing))
          .hasMessageContaining("missing");
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void leafClaimedAtAnotherIndexIsRejected(long seed) {
    Case c = randomCase(seed);
    if (c.leaves.length < 2 || c.indices.length == c.leaves.length) {
      return;
    }
    int free = 0;
    while (Arrays.binarySearch(c.indices, free) >= 0) {
      free++;
    }
    int[] moved = c.indices.clone();
    moved[0] = free;
    Arrays.sort(moved);
    byte[][] opened = Arrays.stream(c.indices).mapToObj(i -> c.leaves[i]).toArray(byte[][]::new);
    assertThatThrownBy(() ->
            MerkleTree.verify(
                c.tree.root(), c.leaves.length, moved, opened, c.tree.prove(c.indices)))
        .isInstanceOf(InvalidProofException.class);
  }
}
