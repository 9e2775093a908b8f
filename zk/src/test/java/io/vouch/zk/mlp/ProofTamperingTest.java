package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Any single-byte change to a proof must make it fail verification. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProofTamperingTest {
  private static final int[] WIDTHS = {24, 16, 12, 5};
  private ZkModel model;
  private byte[] input;
  private byte[] request;
  private long[] logits;
  private byte[] proof;

  @BeforeAll
  void prove() {
    model = ZkModel.register(RandomModels.mlp(42, WIDTHS));
    input = RandomModels.input(42, WIDTHS[0]);
    request = RandomModels.requestId(42);
    ProvedInference proved = ZkProver.prove(model, request, input);
    logits = proved.logits();
    proof = proved.proof().toBytes();
  }

  private boolean acceptsWithByteChanged(int position, int xorMask) {
    byte[] tampered = proof.clone();
    tampered[position] ^= (byte) xorMask;
    return ZkVerifier.isValid(model.verifyingKey(), request, input, logits, tampered);
  }

  /** Offsets of the magic, version and every section's tag and length bytes. */
  private List<Integer> headerPositions() {
    List<Integer> positions = new ArrayList<>();
    IntStream.range(0, 6).forEach(positions::add);
    ByteBuffer b = ByteBuffer.wrap(proof).order(ByteOrder.LITTLE_ENDIAN);
    int pos = 6;
    for (int section = 0; section < 6; section++) {
      for (int k = 0; k < 5; k++) {
        positions.add(pos + k);
      }
      pos += 5 + b.getInt(pos + 1);
    }
    assertThat(pos).as("sections cover the whole proof").isEqualTo(proof.length);
    return positions;
  }

  Stream<Arguments> headerBytes() {
    return headerPositions().stream()
        .flatMap(
            p -> Stream.of(Arguments.of(p, 0x01), Arguments.of(p, 0x80), Arguments.of(p, 0xFF)));
  }

  Stream<Arguments> sampledBytes() {
    var rnd = new SplittableRandom(7);
    return IntStream.range(0, 400)
        .mapToObj(i -> Arguments.of(rnd.nextInt(proof.length), 1 + rnd.nextInt(255)));
  }

  @ParameterizedTest
  @MethodSource("headerBytes")
  void changedHeaderByteIsRejected(int position, int xorMask) {
    assertThat(acceptsWithByteChanged(position, xorMask)).isFalse();
  }

  @ParameterizedTest
  @MethodSource("sampledBytes")
  void changedByteAnywhereIsRejected(int position, int xorMask) {
    assertThat(acceptsWithByteChanged(position, xorMask)).isFalse();
  }

  @org.junit.jupiter.api.Test
  void untouchedProofStillVerifies() {
    // control: the fixture itself is valid, so rejections above are caused by the change
    assertThat(ZkVerifier.isValid(model.verifyingKey(), request, input, logits, proof)).isTrue();
  }
}
