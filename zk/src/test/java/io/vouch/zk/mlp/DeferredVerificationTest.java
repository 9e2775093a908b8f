package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.ConvNets;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.zk.InvalidProofException;
import io.vouch.zk.commit.LigeroColumns;
import io.vouch.zk.exec.Parallel;
import io.vouch.zk.field.Goldilocks;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The verifier hands checks that nothing later reads (the Ligero openings, a convolution's,
 * pooling's or dense layer's table, the lookup tables' side) to the helper thread while it replays
 * the transcript; its verdict and message must stay those of checking in order.
 */
class DeferredVerificationTest {
  private static final ClassifierModel LENET = ConvNets.lenet5(5);
  private static final ZkModel ZK =
      ZkCompiler.compile(OnnxModelFile.parse(LENET.onnx()), LENET.inputs(1, 64), 0.99).model();
  private static final byte[] X = ZK.quantizeInput(LENET.inputs(9, 1)[0]);
  private static final byte[] REQUEST = RandomModels.requestId(6);
  private static final ProvedInference PROVED = ZkProver.prove(ZK, REQUEST, X);

  private static Throwable verdict(ZkProof proof) {
    return catchThrowable(
        () -> ZkVerifier.verify(ZK.verifyingKey(), REQUEST, X, PROVED.logits(), proof.toBytes()));
  }

  private static Throwable inlineVerdict(ZkProof proof) {
    return Parallel.onThisThread(() -> verdict(proof));
  }

  @Test
  void anHonestProofVerifiesWithTheHelperAndWithout() {
    assertThat(verdict(PROVED.proof())).isNull();
    assertThat(inlineVerdict(PROVED.proof())).isNull();
  }

  @Test
  void withTheWitnessAndAWeightOpeningBothBrokenTheWitnessIsNamedAsInOrder() {
    ZkProof p = PROVED.proof();
    // the witness opening (checked before every weight opening) fails at its Merkle root; the last
    // weight opening, whose check is smaller and may fail first in time, at its value count
    long[] witness = p.witnessColumns.values().clone();
    witness[0] = Goldilocks.add(witness[0], 1);
    LigeroColumns[] weights = p.weightColumns.clone();
    int last = weights.length - 1;
    long[] w = weights[last].values();
    weights[last] = new LigeroColumns(Arrays.copyOf(w, w.length - 1), weights[last].siblings());
    ZkProof both =
        new ZkProof(
            p.witnessRoot,
            p.multiplicities,
            p.lookups,
            p.messages,
            new LigeroColumns(witness, p.witnessColumns.siblings()),
            weights);
    Throwable inOrder = inlineVerdict(both);
    assertThat(inOrder)
        .isInstanceOf(InvalidProofException.class)
        .hasMessageNotContaining("values, expected");
    ZkProof weightOnly =
        new ZkProof(
            p.witnessRoot, p.multiplicities, p.lookups, p.messages, p.witnessColumns, weights);
    assertThat(inlineVerdict(weightOnly)).hasMessageContaining("values, expected");
    for (int round = 0; round < 30; round++) {
      assertThat(verdict(both)).as("round %d", round).hasMessage(inOrder.getMessage());
    }
  }
}
