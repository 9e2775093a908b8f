package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.onnx.quant.IntegerEngine;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeded random shapes, weights, requantization constants and inputs. */
class RandomModelPropertyTest {
  static LongStream seeds() {
    return LongStream.range(100, 140);
  }

  private record Case(ZkModel model, byte[] input, byte[] request, ProvedInference proved) {}

  private static Case randomCase(long seed) {
    var rnd = new SplittableRandom(seed);
    int[] widths = new int[rnd.nextInt(3, 6)];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = rnd.nextInt(1, 48);
    }
    ZkModel model = ZkModel.register(RandomModels.mlp(seed, widths));
    byte[] x = RandomModels.input(seed * 31, widths[0]);
    byte[] request = RandomModels.requestId(seed);
    return new Case(model, x, request, ZkProver.prove(model, request, x));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void honestProofOfARandomModelVerifies(long seed) {
    Case c = randomCase(seed);
    assertThat(c.proved.logits())
        .containsExactly(IntegerEngine.run(c.model.integerModel(), c.input));
    assertThat(
            ZkVerifier.isValid(
                c.model.verifyingKey(),
                c.request,
                c.input,
                c.proved.logits(),
                c.proved.proof().toBytes()))
        .isTrue();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomModelProofRejectsAnyOtherOutput(long seed) {
    Case c = randomCase(seed);
    long[] other = c.proved.logits();
    var rnd = new SplittableRandom(seed);
    int i = rnd.nextInt(other.length);
    other[i] += rnd.nextBoolean() ? 1 : -(1L + rnd.nextInt(1000));
    assertThat(
            ZkVerifier.isValid(
                c.model.verifyingKey(), c.request, c.input, other, c.proved.proof().toBytes()))
        .isFalse();
  }
}
