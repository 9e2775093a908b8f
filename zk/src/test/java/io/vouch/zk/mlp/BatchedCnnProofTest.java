package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.benchmodels.ZkBenchmarkModels;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.zk.InvalidProofException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * One proof for a batch of inputs through the LeNet-5-style CNN ({@link BatchedModel}: Conv and
 * MaxPool over the items as channels, the Flatten as wiring to rows, Dense over rows).
 */
class BatchedCnnProofTest {
  private static final int ITEMS = 4;

  /** The CNN (quantized from ONNX once), its batch of 4 registered, and one proof of 4 items. */
  private static final class Fixture {
    static final IntegerModel SINGLE = ZkBenchmarkModels.Kind.LENET5.build().model();
    static final int SIZE = SINGLE.inputBytes();
    static final int CLASSES = SINGLE.outputSize();
    static final ZkModel BATCH = ZkModel.register(BatchedModel.of(SINGLE, ITEMS));
    static final byte[][] ITEM = new byte[ITEMS][];
    static final byte[] INPUTS = new byte[ITEMS * SIZE];
    static final byte[] REQUEST = RandomModels.requestId(13);

    static {
      java.util.SplittableRandom random = new java.util.SplittableRandom(13);
      for (int n = 0; n < ITEMS; n++) {
        ITEM[n] = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
          ITEM[n][i] = (byte) random.nextInt(-128, 128);
        }
        System.arraycopy(ITEM[n], 0, INPUTS, n * SIZE, SIZE);
      }
    }

    static final ProvedInference PROVED = ZkProver.prove(BATCH, REQUEST, INPUTS);
    static final byte[] PROOF = PROVED.proof().toBytes();
  }

  @Test
  void aBatchProofOfTheCnnVerifiesAndCarriesEveryItemsOutputs() {
    long[] logits = Fixture.PROVED.logits();
    assertThat(logits).hasSize(ITEMS * Fixture.CLASSES);
    for (int n = 0; n < ITEMS; n++) {
      assertThat(Arrays.copyOfRange(logits, n * Fixture.CLASSES, (n + 1) * Fixture.CLASSES))
          .containsExactly(IntegerEngine.run(Fixture.SINGLE, Fixture.ITEM[n]));
    }
    ZkVerifier.verify(
        Fixture.BATCH.verifyingKey(), Fixture.REQUEST, Fixture.INPUTS, logits, Fixture.PROOF);
  }

  @Test
  void aChangedOutputOfAnyOneItemIsRefused() {
    for (int n = 0; n < ITEMS; n++) {
      long[] wrong = Fixture.PROVED.logits().clone();
      wrong[n * Fixture.CLASSES + (3 * n) % Fixture.CLASSES] += 1;
      assertThat(
              ZkVerifier.isValid(
                  Fixture.BATCH.verifyingKey(),
                  Fixture.REQUEST,
                  Fixture.INPUTS,
                  wrong,
                  Fixture.PROOF))
          .as("item " + n)
          .isFalse();
    }
  }

  @Test
  void aChangedInputOfAnyOneItemIsRefused() {
    for (int n = 0; n < ITEMS; n++) {
      byte[] other = Fixture.INPUTS.clone();
      other[n * Fixture.SIZE + 14 * 28 + 14] ^= 1;
      assertThat(
              ZkVerifier.isValid(
                  Fixture.BATCH.verifyingKey(),
                  Fixture.REQUEST,
                  other,
                  Fixture.PROVED.logits(),
                  Fixture.PROOF))
          .as("item " + n)
          .isFalse();
    }
  }

  @Test
  void theItemsOfABatchCannotBeReordered() {
    byte[] swapped = Fixture.INPUTS.clone();
    System.arraycopy(Fixture.ITEM[1], 0, swapped, 0, Fixture.SIZE);
    System.arraycopy(Fixture.ITEM[0], 0, swapped, Fixture.SIZE, Fixture.SIZE);
    assertThat(
            ZkVerifier.isValid(
                Fixture.BATCH.verifyingKey(),
                Fixture.REQUEST,
                swapped,
                Fixture.PROVED.logits(),
                Fixture.PROOF))
        .isFalse();
  }

  @Test
  void aBatchOfOneIsTheCnnItselfWithTheSameIdAndProof() {
    IntegerModel one = BatchedModel.of(Fixture.SINGLE, 1);
    assertThat(one).isSameAs(Fixture.SINGLE);
    ZkModel registered = ZkModel.register(one);
    ZkModel single = ZkModel.register(Fixture.SINGLE);
    assertThat(registered.modelId()).isEqualTo(single.modelId());
    assertThat(ZkProver.prove(registered, Fixture.REQUEST, Fixture.ITEM[0]).proof().toBytes())
        .isEqualTo(ZkProver.prove(single, Fixture.REQUEST, Fixture.ITEM[0]).proof().toBytes());
  }

  @Test
  void theKeyOfABatchBindsItsSize() {
    ZkModel three = ZkModel.register(BatchedModel.of(Fixture.SINGLE, 3));
    assertThat(three.modelId())
        .isNotEqualTo(Fixture.BATCH.modelId())
        .isNotEqualTo(ZkModel.register(Fixture.SINGLE).modelId());
    // the proof of 4 items under the key of 3, with the first 3 items' statement or all 4
    byte[] firstThree = Arrays.copyOf(Fixture.INPUTS, 3 * Fixture.SIZE);
    long[] threeLogits = Arrays.copyOf(Fixture.PROVED.logits(), 3 * Fixture.CLASSES);
    assertThatThrownBy(() ->
            ZkVerifier.verify(
                three.verifyingKey(), Fixture.REQUEST, firstThree, threeLogits, Fixture.PROOF))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(() ->
            ZkVerifier.verify(
                three.verifyingKey(),
                Fixture.REQUEST,
                Fixture.INPUTS,
                Fixture.PROVED.logits(),
                Fixture.PROOF))
        .isInstanceOf(RuntimeException.class);
    // and a proof of 3 items under the key of 4
    ProvedInference proved3 = ZkProver.prove(three, Fixture.REQUEST, firstThree);
    assertThat(proved3.logits()).containsExactly(threeLogits);
    ZkVerifier.verify(
        three.verifyingKey(),
        Fixture.REQUEST,
        firstThree,
        proved3.logits(),
        proved3.proof().toBytes());
    assertThat(
            ZkVerifier.isValid(
                Fixture.BATCH.verifyingKey(),
                Fixture.REQUEST,
                Fixture.INPUTS,
                Fixture.PROVED.logits(),
                proved3.proof().toBytes()))
        .isFalse();
  }

  @Test
  void opsNotYetBatchedAreRefusedNamingEveryOne() {
    IntegerModel kws = ZkBenchmarkModels.Kind.KWS_HEAD.build().model();
    java.util.List<String> kinds = new java.util.ArrayList<>();
    for (int j = 0; j < kws.ops().size(); j++) {
      var op = kws.ops().get(j);
      if (op instanceof io.vouch.onnx.quant.LayerNormOp
          || op instanceof io.vouch.onnx.quant.SoftmaxOp
          || op instanceof io.vouch.onnx.quant.MatMulOp
          || op instanceof io.vouch.onnx.quant.ProductOp
          || (op instanceof io.vouch.onnx.quant.DenseOp d && d.rows() > 1)) {
        kinds.add("op " + j + " (");
      }
    }
    assertThat(kinds).isNotEmpty();
    assertThatThrownBy(() -> BatchedModel.of(kws, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch proving does not take")
        .hasMessageContainingAll(kinds.toArray(String[]::new));
  }
}
