package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.zk.InvalidProofException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** One proof for a batch of inputs through one dense chain ({@link BatchedModel}). */
class BatchProofTest {
  private static final int[] WIDTHS = {33, 17, 9, 10};
  private static final int ITEMS = 8;

  private final IntegerModel single = RandomModels.mlp(4, WIDTHS);
  private final ZkModel batch = ZkModel.register(BatchedModel.of(single, ITEMS));
  private final byte[] request = RandomModels.requestId(4);
  private final byte[][] items = new byte[ITEMS][];
  private final byte[] inputs;

  BatchProofTest() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int n = 0; n < ITEMS; n++) {
      items[n] = RandomModels.input(100 + n, WIDTHS[0]);
      all.writeBytes(items[n]);
    }
    inputs = all.toByteArray();
  }

  @Test
  void aBatchProofVerifiesAndCarriesEveryItemsLogits() {
    ProvedInference proved = ZkProver.prove(batch, request, inputs);
    int classes = WIDTHS[WIDTHS.length - 1];
    for (int n = 0; n < ITEMS; n++) {
      assertThat(Arrays.copyOfRange(proved.logits(), n * classes, (n + 1) * classes))
          .containsExactly(IntegerEngine.run(single, items[n]));
    }
    assertThatCode(() ->
            ZkVerifier.verify(
                batch.verifyingKey(), request, inputs, proved.logits(), proved.proof().toBytes()))
        .doesNotThrowAnyException();
  }

  @Test
  void aChangedLogitOfAnyOneItemIsRefused() {
    ProvedInference proved = ZkProver.prove(batch, request, inputs);
    byte[] proof = proved.proof().toBytes();
    int classes = WIDTHS[WIDTHS.length - 1];
    for (int n = 0; n < ITEMS; n++) {
      long[] wrong = proved.logits().clone();
      wrong[n * classes + n % classes] += 1;
      assertThatThrownBy(
              () -> ZkVerifier.verify(batch.verifyingKey(), request, inputs, wrong, proof))
          .isInstanceOf(InvalidProofException.class);
    }
  }

  @Test
  void aChangedInputOfAnyOneItemIsRefused() {
    ProvedInference proved = ZkProver.prove(batch, request, inputs);
    byte[] proof = proved.proof().toBytes();
    for (int n = 0; n < ITEMS; n++) {
      byte[] other = inputs.clone();
      other[n * WIDTHS[0]] ^= 1;
      assertThatThrownBy(
              () -> ZkVerifier.verify(batch.verifyingKey(), request, other, proved.logits(), proof))
          .isInstanceOf(InvalidProofException.class);
    }
  }

  @Test
  void aBatchProofDoesNotVerifyUnderTheSingleModelsKeyNorTheReverse() {
    ProvedInference proved = ZkProver.prove(batch, request, inputs);
    assertThat(batch.modelId()).isNotEqualTo(ZkModel.register(single).modelId());
    ZkModel one = ZkModel.register(single);
    ProvedInference first = ZkProver.prove(one, request, items[0]);
    assertThatThrownBy(() ->
            ZkVerifier.verify(
                batch.verifyingKey(), request, items[0], first.logits(), first.proof().toBytes()))
        .isInstanceOf(RuntimeException.class);
    assertThat(proved.logits()).hasSize(ITEMS * WIDTHS[WIDTHS.length - 1]);
  }

  @Test
  void aBatchOfOneIsTheSingleModelAndItsProof() {
    IntegerModel one = BatchedModel.of(single, 1);
    assertThat(one).isSameAs(single);
    ZkModel registered = ZkModel.register(one);
    assertThat(registered.modelId()).isEqualTo(ZkModel.register(single).modelId());
    assertThat(ZkProver.prove(registered, request, items[0]).proof().toBytes())
        .isEqualTo(ZkProver.prove(ZkModel.register(single), request, items[0]).proof().toBytes());
  }

  @Test
  void graphsOtherThanDenseChainsAreRefusedWithTheOpThatStopsThem() {
    IntegerModel conv = io.vouch.benchmodels.ZkBenchmarkModels.Kind.LENET5.build().model();
    assertThatThrownBy(() -> BatchedModel.of(conv, 4)).hasMessageContaining("batch proving");
  }
}
