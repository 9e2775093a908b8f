package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.benchmodels.ConvNets;
import io.vouch.benchmodels.SequenceModels;
import io.vouch.benchmodels.TokenClassifier;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.zk.InvalidProofException;
import io.vouch.zk.mlp.ZkModel.WeightForm;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A model registered with its weight matrices' encoded columns kept ({@link WeightForm#ENCODED})
 * and with only the int8 weights and Merkle trees kept ({@link WeightForm#COMPACT}, the columns a
 * proof opens computed from the weights) is the same model: the same id and verifying key, and
 * byte-identical proofs, which each key verifies.
 */
class WeightFormProofTest {
  private static final byte[] REQUEST = RandomModels.requestId(31);

  private static void sameProofs(IntegerModel model, byte[] input) {
    ZkModel encoded = ZkModel.register(model, WeightForm.ENCODED);
    ZkModel compact = ZkModel.register(model, WeightForm.COMPACT);
    assertThat(compact.modelId()).isEqualTo(encoded.modelId());
    assertThat(compact.verifyingKey().modelId()).isEqualTo(encoded.verifyingKey().modelId());
    ProvedInference fromEncoded = ZkProver.prove(encoded, REQUEST, input);
    ProvedInference fromCompact = ZkProver.prove(compact, REQUEST, input);
    byte[] a = fromEncoded.proof().toBytes();
    byte[] b = fromCompact.proof().toBytes();
    assertThat(b).as("compact proof length").hasSize(a.length);
    assertThat(Arrays.mismatch(a, b))
        .as("first byte where the compact form's proof differs")
        .isEqualTo(-1);
    assertThat(fromCompact.logits()).containsExactly(fromEncoded.logits());
    ZkVerifier.verify(encoded.verifyingKey(), REQUEST, input, fromCompact.logits(), b);
    ZkVerifier.verify(compact.verifyingKey(), REQUEST, input, fromEncoded.logits(), a);
    // and the compact form holds less: the bytes and trees against 32 bytes per weight besides
    assertThat(compact.weightCommitmentBytes() * 2).isLessThan(encoded.weightCommitmentBytes());
    // a tampered weight opening of the compact form's proof is still refused
    byte[] tampered = b.clone();
    tampered[tampered.length - 9] ^= 1;
    assertThatThrownBy(() ->
            ZkVerifier.verify(
                compact.verifyingKey(), REQUEST, input, fromCompact.logits(), tampered))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void mlp() {
    IntegerModel model = RandomModels.mlp(3, 784, 128, 10);
    sameProofs(model, RandomModels.input(4, 784));
  }

  @Test
  void lenet5() {
    var m = ConvNets.lenet5(5);
    ZkModel zk = ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 32), 0.9).model();
    sameProofs(zk.integerModel(), zk.quantizeInput(m.inputs(9, 1)[0]));
  }

  @Test
  void transformer() {
    TokenClassifier t = SequenceModels.transformerEncoder(7);
    ZkModel zk = ZkCompiler.compile(OnnxModelFile.parse(t.onnx()), t.inputs(1, 32), 0.9).model();
    sameProofs(zk.integerModel(), zk.quantizeInput(t.inputs(3, 1)[0]));
  }

  /**
   * Under a budget that holds the first matrix's encoding only, AUTO keeps that one encoded and
   * computes the other's opened columns: the proof is the same as either form's.
   */
  @Test
  void autoWithinABudgetMixesTheFormsAndProvesTheSame() {
    IntegerModel model = RandomModels.mlp(6, 256, 64, 10);
    byte[] input = RandomModels.input(7, 256);
    String old = System.getProperty(ZkModel.ENCODED_WEIGHT_BUDGET_PROPERTY);
    ZkModel mixed;
    try {
      // the first layer's matrix is 64 × 256 entries, 32 bytes each encoded
      System.setProperty(ZkModel.ENCODED_WEIGHT_BUDGET_PROPERTY, Long.toString(64L * 256 * 32));
      mixed = ZkModel.register(model);
    } finally {
      if (old == null) {
        System.clearProperty(ZkModel.ENCODED_WEIGHT_BUDGET_PROPERTY);
      } else {
        System.setProperty(ZkModel.ENCODED_WEIGHT_BUDGET_PROPERTY, old);
      }
    }
    assertThat(mixed.weightMatricesKeptEncoded()).isEqualTo(1);
    ZkModel encoded = ZkModel.register(model, WeightForm.ENCODED);
    assertThat(encoded.weightMatricesKeptEncoded()).isEqualTo(2);
    assertThat(ZkModel.register(model, WeightForm.COMPACT).weightMatricesKeptEncoded()).isZero();
    assertThat(mixed.modelId()).isEqualTo(encoded.modelId());
    assertThat(ZkProver.prove(mixed, REQUEST, input).proof().toBytes())
        .isEqualTo(ZkProver.prove(encoded, REQUEST, input).proof().toBytes());
  }

  @Test
  void aBudgetThatIsNotANumberIsRefusedNamingTheProperty() {
    String old = System.getProperty(ZkModel.ENCODED_WEIGHT_BUDGET_PROPERTY);
    try {
      System.setProperty(ZkModel.ENCODED_WEIGHT_BUDGET_PROPERTY, "4 GB");
      assertThatThrownBy(ZkModel::encodedWeightBudget)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(ZkModel.ENCODED_WEIGHT_BUDGET_PROPERTY)
          .hasMessageContaining("4 GB");
    } finally {
      if (old == null) {
        System.clearProperty(ZkModel.ENCODED_WEIGHT_BUDGET_PROPERTY);
      } else {
        System.setProperty(ZkModel.ENCODED_WEIGHT_BUDGET_PROPERTY, old);
      }
    }
  }

  @Test
  void autoKeepsTheEncodingOfASmallModel() {
    IntegerModel model = RandomModels.mlp(5, 64, 32, 10);
    ZkModel auto = ZkModel.register(model);
    ZkModel encoded = ZkModel.register(model, WeightForm.ENCODED);
    assertThat(auto.weightCommitmentBytes()).isEqualTo(encoded.weightCommitmentBytes());
  }
}
