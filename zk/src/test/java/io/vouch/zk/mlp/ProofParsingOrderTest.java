package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.exec.Parallel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link ZkProof#fromBytes} parses the two openings on the helper beside the other sections; a
 * malformed proof is still refused with the error a single pass in byte order meets first, with or
 * without the helper and whichever thread gets there first.
 */
class ProofParsingOrderTest {
  static final int WITNESS = 0, MULTIPLICITIES = 1, LOOKUP = 2, MESSAGES = 3;
  static final int WITNESS_OPENING = 4, WEIGHT_OPENINGS = 5;

  static final byte[] PROOF =
      ZkProver.prove(
              ZkModel.register(RandomModels.mlp(11, 24, 16, 8)),
              RandomModels.requestId(11),
              RandomModels.input(11, 24))
          .proof()
          .toBytes();

  /** Offset of each section's tag: after the magic and version, tag, u32 length, body. */
  static int[] sections(byte[] proof) {
    int[] at = new int[6];
    int pos = 6;
    for (int s = 0; s < at.length; s++) {
      at[s] = pos;
      pos += 5 + le(proof).getInt(pos + 1);
    }
    assertThat(pos).isEqualTo(proof.length);
    return at;
  }

  static ByteBuffer le(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  static final String TABLE_SIZE = "lookup table size 0 is out of range";
  static final String HUGE_LENGTH = "length 2147483647 exceeds the remaining proof bytes";

  /** The first table's size set to 0. */
  static void badMultiplicities(byte[] p) {
    le(p).putInt(sections(p)[MULTIPLICITIES] + 5 + 1, 0);
  }

  /** The witness opening's value count set beyond the proof. */
  static void badWitnessOpening(byte[] p) {
    le(p).putInt(sections(p)[WITNESS_OPENING] + 5, Integer.MAX_VALUE);
  }

  /** The first weight opening's value count set beyond the proof (after the u16 count). */
  static void badWeightOpening(byte[] p) {
    le(p).putInt(sections(p)[WEIGHT_OPENINGS] + 5 + 2, Integer.MAX_VALUE);
  }

  /** No messages listed: the section's bytes are left unread. */
  static void badMessages(byte[] p) {
    le(p).putInt(sections(p)[MESSAGES] + 5, 0);
  }

  @Test
  void anHonestProofParsesToTheSameBytes() {
    for (int round = 0; round < 20; round++) {
      assertThat(ZkProof.fromBytes(PROOF).toBytes()).isEqualTo(PROOF);
      assertThat(Parallel.onThisThread(() -> ZkProof.fromBytes(PROOF).toBytes())).isEqualTo(PROOF);
    }
  }

  @Test
  void anEarlierSectionsErrorWinsOverTheOpenings() {
    refusedWith(
        TABLE_SIZE,
        ProofParsingOrderTest::badMultiplicities,
        ProofParsingOrderTest::badWitnessOpening);
    refusedWith(HUGE_LENGTH, ProofParsingOrderTest::badWitnessOpening);
    refusedWith(HUGE_LENGTH, ProofParsingOrderTest::badWeightOpening);
  }

  @Test
  void aSectionsContentWinsOverALaterSectionsFrame() {
    // the openings' frames broken: nothing is forked, the messages' error comes first
    int at = sections(PROOF)[WEIGHT_OPENINGS];
    refusedWith("proof section 4 has", ProofParsingOrderTest::badMessages, p -> p[at] = 9);
    refusedWith("expected proof section 6, found tag 9", p -> p[at] = 9);
    int lookup = sections(PROOF)[LOOKUP];
    refusedWith(TABLE_SIZE, ProofParsingOrderTest::badMultiplicities, p -> p[lookup] = 9);
    refusedWith("expected proof section 3, found tag 9", p -> p[lookup] = 9);
  }

  @Test
  void theOpeningsErrorWinsOverTrailingBytes() {
    byte[] broken = PROOF.clone();
    badWeightOpening(broken);
    byte[] longer = Arrays.copyOf(broken, broken.length + 1);
    refusedWith(HUGE_LENGTH, longer);
    refusedWith("1 trailing bytes after the last section", Arrays.copyOf(PROOF, PROOF.length + 1));
  }

  /** The mutations applied in order (each finds the sections before it changes anything). */
  @SafeVarargs
  private static void refusedWith(String message, Consumer<byte[]>... mutations) {
    byte[] p = PROOF.clone();
    for (Consumer<byte[]> m : mutations) {
      m.accept(p);
    }
    refusedWith(message, p);
  }

  private static void refusedWith(String message, byte[] p) {
    for (int round = 0; round < 20; round++) {
      assertThatThrownBy(() -> ZkProof.fromBytes(p))
          .isInstanceOf(InvalidProofException.class)
          .hasMessageContaining(message);
      assertThatThrownBy(() -> Parallel.onThisThread(() -> ZkProof.fromBytes(p)))
          .isInstanceOf(InvalidProofException.class)
          .hasMessageContaining(message);
    }
  }
}
