package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.zk.InvalidProofException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ZkProofTest {
  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of(1L, new int[] {4, 3, 2}),
        Arguments.of(2L, new int[] {16, 8, 4}),
        Arguments.of(3L, new int[] {5, 7, 6, 3}),
        Arguments.of(4L, new int[] {33, 17, 9, 10}),
        Arguments.of(5L, new int[] {1, 1, 1}),
        Arguments.of(6L, new int[] {64, 32, 10}),
        Arguments.of(7L, new int[] {20, 40, 30, 20, 5}));
  }

  private static ZkModel register(long seed, int[] widths) {
    return ZkModel.register(RandomModels.mlp(seed, widths));
  }

  @ParameterizedTest
  @MethodSource("models")
  void honestProofVerifiesAndCarriesTheEngineOutput(long seed, int[] widths) {
    ZkModel model = register(seed, widths);
    byte[] x = RandomModels.input(seed, widths[0]);
    byte[] request = RandomModels.requestId(seed);
    ProvedInference proved = ZkProver.prove(model, request, x);

    assertThat(proved.logits()).containsExactly(IntegerEngine.run(model.integerModel(), x));
    assertThatCode(() ->
            ZkVerifier.verify(
                model.verifyingKey(), request, x, proved.logits(), proved.proof().toBytes()))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @MethodSource("models")
  void proofBytesRoundTrip(long seed, int[] widths) {
    ZkModel model = register(seed, widths);
    byte[] bytes =
        ZkProver.prove(model, RandomModels.requestId(seed), RandomModels.input(seed, widths[0]))
            .proof()
            .toBytes();
    assertThat(ZkProof.fromBytes(bytes).toBytes()).isEqualTo(bytes);
  }

  @ParameterizedTest
  @MethodSource("models")
  void wrongOutputIsRejected(long seed, int[] widths) {
    ZkModel model = register(seed, widths);
    byte[] x = RandomModels.input(seed, widths[0]);
    byte[] request = RandomModels.requestId(seed);
    ProvedInference proved = ZkProver.prove(model, request, x);
    long[] wrong = proved.logits();
    wrong[(int) (seed % wrong.length)] += 1;
    assertThat(
            ZkVerifier.isValid(model.verifyingKey(), request, x, wrong, proved.proof().toBytes()))
        .isFalse();
  }

  @ParameterizedTest
  @MethodSource("models")
  void wrongInputIsRejected(long seed, int[] widths) {
    ZkModel model = register(seed, widths);
    byte[] x = RandomModels.input(seed, widths[0]);
    byte[] request = RandomModels.requestId(seed);
    ProvedInference proved = ZkProver.prove(model, request, x);
    byte[] other = x.clone();
    other[(int) (seed % other.length)] ^= 1;
    assertThat(
            ZkVerifier.isValid(
                model.verifyingKey(), request, other, proved.logits(), proved.proof().toBytes()))
        .isFalse();
  }

  @ParameterizedTest
  @MethodSource("models")
  void wrongRequestIdIsRejected(long seed, int[] widths) {
    ZkModel model = register(seed, widths);
    byte[] x = RandomModels.input(seed, widths[0]);
    byte[] request = RandomModels.requestId(seed);
    ProvedInference proved = ZkProver.prove(model, request, x);
    byte[] other = request.clone();
    other[31] ^= 1;
    assertThat(
            ZkVerifier.isValid(
                model.verifyingKey(), other, x, proved.logits(), proved.proof().toBytes()))
        .isFalse();
  }

  @ParameterizedTest
  @MethodSource("models")
  void proofForAnotherModelOfTheSameShapeIsRejected(long seed, int[] widths) {
    ZkModel model = register(seed, widths);
    ZkModel other = register(seed + 1000, widths);
    assertThat(other.modelId()).isNotEqualTo(model.modelId());
    byte[] x = RandomModels.input(seed, widths[0]);
    byte[] request = RandomModels.requestId(seed);
    ProvedInference proved = ZkProver.prove(model, request, x);
    assertThat(
            ZkVerifier.isValid(
                other.verifyingKey(), request, x, proved.logits(), proved.proof().toBytes()))
        .isFalse();
  }

  @ParameterizedTest
  @MethodSource("models")
  void proofsAreDeterministic(long seed, int[] widths) {
    ZkModel model = register(seed, widths);
    byte[] x = RandomModels.input(seed, widths[0]);
    byte[] request = RandomModels.requestId(seed);
    assertThat(ZkProver.prove(model, request, x).proof().toBytes())
        .isEqualTo(ZkProver.prove(model, request, x).proof().toBytes());
  }

  @ParameterizedTest
  @MethodSource("models")
  void truncatedProofIsRejectedAsMalformed(long seed, int[] widths) {
    ZkModel model = register(seed, widths);
    byte[] bytes =
        ZkProver.prove(model, RandomModels.requestId(seed), RandomModels.input(seed, widths[0]))
            .proof()
            .toBytes();
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 1 - (int) (seed % 50));
    assertThatThrownBy(() -> ZkProof.fromBytes(cut)).isInstanceOf(InvalidProofException.class);
  }
}
