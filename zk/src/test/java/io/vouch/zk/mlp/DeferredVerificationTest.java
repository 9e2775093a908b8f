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
 * The verifier hands checks that nothing later reads (the Ligero openings — a weight matrix's as
 * soon as its fold is sent, format 10 —, a convolution's, pooling's or dense layer's table, the
 * lookup tables' side) to the helper thread while it replays the transcript; its verdict and
 * message must stay those of checking in order.
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
  void withAWeightOpeningAndTheWitnessOpeningBothBrokenTheWeightIsNamedAsInOrder() {
    ZkProof p = PROVED.proof();
    // the largest weight opening (met during the replay, format 10) fails at its Merkle root, after
    // hashing its columns; the witness opening (met at the end) at its value count, at once, so a
    // verifier that reported the first failure in time would name the witness
    LigeroColumns[] weights = p.weightColumns.clone();
    int largest = 0;
    for (int w = 1; w < weights.length; w++) {
      if (weights[w].valueCount() > weights[largest].valueCount()) {
        largest = w;
      }
    }
    long[] w = weights[largest].values().clone();
    w[0] = Goldilocks.add(w[0], 1);
    weights[largest] = new LigeroColumns(w, weights[largest].siblings());
    long[] witness = p.witnessColumns.values();
    LigeroColumns shortWitness =
        new LigeroColumns(Arrays.copyOf(witness, witness.length - 1), p.witnessColumns.siblings());
    ZkProof both =
        new ZkProof(p.witnessRoot, p.multiplicities, p.lookups, p.messages, shortWitness, weights);
    Throwable inOrder = inlineVerdict(both);
    assertThat(inOrder)
        .isInstanceOf(InvalidProofException.class)
        .hasMessageNotContaining("values, expected");
    ZkProof witnessOnly =
        new ZkProof(
            p.witnessRoot, p.multiplicities, p.lookups, p.messages, shortWitness, p.weightColumns);
    assertThat(inlineVerdict(witnessOnly)).hasMessageContaining("values, expected");
    for (int round = 0; round < 30; round++) {
      assertThat(verdict(both)).as("round %d", round).hasMessage(inOrder.getMessage());
    }
  }
}
