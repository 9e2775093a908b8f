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
  void aDenseChainWithAMultiplierPerOutputRunsOverRows() {
    // an MLP quantized per output channel (as GraphQuantizer does): the rows share the multipliers
    IntegerModel perChannel = BatchProofTest.perOutputMultipliers(single);
    IntegerModel batched = BatchedModel.of(perChannel, 3);
    ZkModel zk = ZkModel.register(batched);
    byte[] x = java.util.Arrays.copyOf(inputs, 3 * WIDTHS[0]);
    ProvedInference proved = ZkProver.prove(zk, request, x);
    int classes = WIDTHS[WIDTHS.length - 1];
    for (int n = 0; n < 3; n++) {
      assertThat(Arrays.copyOfRange(proved.logits(), n * classes, (n + 1) * classes))
          .containsExactly(IntegerEngine.run(perChannel, items[n]));
    }
    byte[] proof = proved.proof().toBytes();
    ZkVerifier.verify(zk.verifyingKey(), request, x, proved.logits(), proof);
    long[] wrong = proved.logits().clone();
    wrong[2 * classes + 1] -= 1;
    assertThatThrownBy(() -> ZkVerifier.verify(zk.verifyingKey(), request, x, wrong, proof))
        .isInstanceOf(InvalidProofException.class);
  }

  /** The model with each requantizing layer's multiplier varied per output (ε, ε+1, ε+2, ...). */
  static IntegerModel perOutputMultipliers(IntegerModel m) {
    java.util.List<io.vouch.onnx.quant.IntegerOp> ops = new java.util.ArrayList<>();
    for (io.vouch.onnx.quant.IntegerOp op : m.ops()) {
      io.vouch.onnx.quant.DenseOp d = (io.vouch.onnx.quant.DenseOp) op;
      io.vouch.onnx.quant.Requantization rq = d.requantization();
      if (rq != null) {
        long[] eps = new long[d.outputs()];
        for (int o = 0; o < eps.length; o++) {
          eps[o] = rq.multiplier(0) + o % 3;
        }
        rq = new io.vouch.onnx.quant.Requantization(eps, rq.shift(), rq.activation());
      }
      ops.add(
          new io.vouch.onnx.quant.DenseOp(
              d.input(), d.inputSize(), d.outputs(), d.weights(), d.bias(), rq));
    }
    return new IntegerModel(m.inputs(), ops, m.outputs());
  }
}
