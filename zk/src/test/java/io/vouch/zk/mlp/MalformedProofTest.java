package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.zk.InvalidProofException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Garbage never gets past the parser or the verifier as anything but {@link InvalidProofException}.
 */
class MalformedProofTest {
  private static final int[] WIDTHS = {10, 6, 3};
  private static final ZkModel MODEL = ZkModel.register(RandomModels.mlp(9, WIDTHS));
  private static final byte[] INPUT = RandomModels.input(9, WIDTHS[0]);
  private static final byte[] REQUEST = RandomModels.requestId(9);
  private static final ProvedInference PROVED = ZkProver.prove(MODEL, REQUEST, INPUT);

  static LongStream seeds() {
    return LongStream.range(1, 41);
  }

  private static void assertRejected(byte[] bytes) {
    assertThatThrownBy(
            () -> ZkVerifier.verify(MODEL.verifyingKey(), REQUEST, INPUT, PROVED.logits(), bytes))
        .isInstanceOf(InvalidProofException.class);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomBytesAreRejected(long seed) {
    var rnd = new SplittableRandom(seed);
    byte[] garbage = new byte[rnd.nextInt(0, 4096)];
    rnd.nextBytes(garbage);
    assertRejected(garbage);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void validHeaderFollowedByGarbageIsRejected(long seed) {
    var rnd = new SplittableRandom(seed);
    byte[] proof = PROVED.proof().toBytes();
    byte[] bytes = Arrays.copyOf(proof, proof.length);
    int from = 6 + rnd.nextInt(proof.length - 6);
    for (int i = from; i < bytes.length; i++) {
      bytes[i] = (byte) rnd.nextInt(256);
    }
    assertRejected(bytes);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void trailingBytesAreRejected(long seed) {
    byte[] proof = PROVED.proof().toBytes();
    assertRejected(Arrays.copyOf(proof, proof.length + 1 + (int) (seed % 7)));
  }
}
