package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.benchmodels.SequenceModels;
import io.vouch.benchmodels.SequenceModels.EncoderShape;
import io.vouch.benchmodels.TokenClassifier;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.LayerNormOp;
import io.vouch.onnx.quant.OnnxRuntimeAgreement;
import io.vouch.zk.InvalidProofException;
import io.vouch.zk.field.Goldilocks;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BERT-style encoder builder ({@link SequenceModels#encoder}) at a small shape with the
 * BERT_22M op forms and a width above 128 (160: layer norms in the wide, 18-channel packing of
 * their row limbs): compiled from ONNX, agreeing with ONNX Runtime on fresh tokens, proved and
 * verified; a wrong output and tampered proofs are refused. The full 22M shape is measured in
 * bench/ ({@code ZkmlLargeModels}), not here.
 */
class WideEncoderProofTest {
  static final EncoderShape SMALL = new EncoderShape("WIDE_ENCODER", 16, 512, 160, 5, 320, 1);
  static TokenClassifier encoder;
  static ZkCompiler.Compiled zk;
  static final byte[] REQUEST = RandomModels.requestId(14);

  @BeforeAll
  static void compile() {
    encoder = SequenceModels.encoder(SMALL, 7);
    zk = ZkCompiler.compile(OnnxModelFile.parse(encoder.onnx()), encoder.inputs(1, 64), 0.99);
  }

  @Test
  void theBertShapeHasItsParameterCount() {
    assertThat(SequenceModels.BERT_22M.parameters()).isEqualTo(22_421_002L);
    assertThat(SequenceModels.TRANSFORMER_250K.parameters()).isEqualTo(250_250L);
    assertThatThrownBy(() -> new EncoderShape("X", 16, 10, 100, 3, 10, 1))
        .hasMessageContaining("split evenly");
  }

  @Test
  void itsLayerNormsAreWiderThan128AndPackEighteenLimbs() {
    int wide = 0;
    for (IntegerOp op : zk.model().integerModel().ops()) {
      if (op instanceof LayerNormOp ln) {
        assertThat(ln.length()).isEqualTo(160);
        assertThat(WitnessPlan.lnKinds(ln)).isEqualTo(18);
        assertThat(WitnessPlan.lnKindBits(ln)).isEqualTo(5);
        wide++;
      }
    }
    assertThat(wide).isEqualTo(3);
    assertThat(zk.model().soundnessBits()).isGreaterThanOrEqualTo(100);
  }

  /** A cheating prover's changed limb of σ, s1, 2σ − s1, ρ, r1 or σ − 1 − r1: each refused. */
  @Test
  void aChangedLimbOfAWideLayerNormIsRefused() {
    ZkModel m = zk.model();
    WitnessPlan plan = m.plan();
    byte[] x = m.quantizeInput(encoder.inputs(4, 1)[0]);
    int j = 0;
    while (!(plan.model.ops().get(j) instanceof LayerNormOp)) {
      j++;
    }
    LayerNormOp ln = (LayerNormOp) plan.model.ops().get(j);
    WitnessPlan.Vec packed = plan.vectors[j][plan.vectors[j].length - 1];
    WitnessPlan.Layout rows = WitnessPlan.rowLayout(ln, plan.logWidth);
    int cube = rows.size() / WitnessPlan.lnKinds(ln);
    for (int c = 0; c < WitnessPlan.lnKinds(ln); c++) {
      int at = packed.firstRow() * plan.width + rows.physical(c * cube + 3);
      UnaryOperator<long[]> tamper =
          w -> {
            w[at] = Goldilocks.add(w[at], 1);
            return w;
          };
      ProvedInference cheat = ZkProver.prove(m, REQUEST, x, tamper);
      assertThat(
              ZkVerifier.isValid(
                  m.verifyingKey(), REQUEST, x, cheat.logits(), cheat.proof().toBytes()))
          .as("limb channel " + c)
          .isFalse();
    }
  }

  @Test
  void itAgreesWithOnnxRuntimeOnFreshTokens() {
    assertThat(zk.topOneAgreement()).isGreaterThanOrEqualTo(0.99);
    OnnxRuntimeAgreement fresh =
        OnnxRuntimeAgreement.measure(
            OnnxModelFile.parse(encoder.onnx()), zk.model().integerModel(), encoder.inputs(2, 50));
    assertThat(fresh.topOne()).isGreaterThanOrEqualTo(0.96);
    assertThat(fresh.meanCosine()).isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void itProvesAndVerifiesAndRefusesAWrongOutputOrAChangedByte() {
    ZkModel m = zk.model();
    byte[] x = m.quantizeInput(encoder.inputs(3, 1)[0]);
    ProvedInference proved = ZkProver.prove(m, REQUEST, x);
    assertThat(proved.logits()).containsExactly(IntegerEngine.run(m.integerModel(), x));
    byte[] proof = proved.proof().toBytes();
    ZkVerifier.verify(m.verifyingKey(), REQUEST, x, proved.logits(), proof);
    for (int i = 0; i < proved.logits().length; i++) {
      long[] wrong = proved.logits();
      wrong[i] -= 1;
      assertThatThrownBy(() -> ZkVerifier.verify(m.verifyingKey(), REQUEST, x, wrong, proof))
          .isInstanceOf(InvalidProofException.class);
    }
    SplittableRandom rnd = new SplittableRandom(23);
    for (int i = 0; i < 20; i++) {
      byte[] tampered = proof.clone();
      int at = rnd.nextInt(proof.length);
      tampered[at] ^= (byte) (1 + rnd.nextInt(255));
      assertThat(ZkVerifier.isValid(m.verifyingKey(), REQUEST, x, proved.logits(), tampered))
          .as("byte " + at)
          .isFalse();
    }
  }
}
