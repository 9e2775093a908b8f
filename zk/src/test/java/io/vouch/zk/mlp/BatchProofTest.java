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

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void elementwiseOpsAndTablesBetweenDenseLayersRunOnTheItems(boolean perChannel) {
    // Dense 33→17, then 2·h + 3 (one multiplier for every channel, given per channel: the items
    // stay rows) or per-channel multipliers (the items become channels, and a wiring takes them
    // back to rows for the next Dense), a table, and Dense 17→10
    IntegerModel first = RandomModels.mlp(9, 33, 17, 10);
    io.vouch.onnx.quant.DenseOp d1 = (io.vouch.onnx.quant.DenseOp) first.ops().get(0);
    io.vouch.onnx.quant.DenseOp d2 = (io.vouch.onnx.quant.DenseOp) first.ops().get(1);
    long[] m = new long[17];
    long[] eps = new long[17];
    for (int c = 0; c < 17; c++) {
      m[c] = perChannel ? 1 + c % 3 : 2;
      eps[c] = perChannel ? 3 + c % 2 : 3;
    }
    var vector = io.vouch.onnx.quant.TensorShape.vector(17);
    var elementwise =
        new io.vouch.onnx.quant.ElementwiseOp(
            new int[] {1},
            vector,
            new long[][] {m},
            new long[] {3},
            new io.vouch.onnx.quant.Requantization(eps, 3, io.vouch.onnx.quant.Activation.CLAMP));
    byte[] table = new byte[256];
    for (int i = 0; i < 256; i++) {
      table[i] = (byte) ((i - 128) / 2);
    }
    var halve = new io.vouch.onnx.quant.TableOp(2, vector, table, "Div");
    var last =
        new io.vouch.onnx.quant.DenseOp(3, 17, 10, d2.weights(), d2.bias(), d2.requantization());
    IntegerModel model =
        new IntegerModel(
            first.inputs(),
            java.util.List.of(d1, elementwise, halve, last),
            java.util.List.of(new io.vouch.onnx.quant.ModelOutput("logits", 4, 1e-4)));
    IntegerModel batched = BatchedModel.of(model, 3);
    assertThat(batched.ops().stream().anyMatch(op -> op instanceof io.vouch.onnx.quant.WiringOp))
        .isEqualTo(perChannel);
    ZkModel zk = ZkModel.register(batched);
    byte[] x = java.util.Arrays.copyOf(inputs, 3 * WIDTHS[0]);
    ProvedInference proved = ZkProver.prove(zk, request, x);
    for (int n = 0; n < 3; n++) {
      assertThat(Arrays.copyOfRange(proved.logits(), n * 10, (n + 1) * 10))
          .containsExactly(IntegerEngine.run(model, items[n]));
    }
    byte[] proof = proved.proof().toBytes();
    ZkVerifier.verify(zk.verifyingKey(), request, x, proved.logits(), proof);
    long[] wrong = proved.logits().clone();
    wrong[25] += 1;
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
