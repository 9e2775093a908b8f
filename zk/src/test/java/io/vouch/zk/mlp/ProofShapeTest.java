package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.zk.commit.Ligero;
import io.vouch.zk.lookup.FractionalSumGkr;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ZkModel#proofShape()} is what a proof of the model commits, looks up and opens: the bench
 * that times those parts alone (bench's ZkmlFloors) is only as good as these sizes.
 */
class ProofShapeTest {
  @Test
  void theShapeIsWhatAProofCommitsLooksUpAndOpens() {
    ZkModel zk = ZkModel.register(RandomModels.mlp(3, 784, 128, 10));
    ZkModel.ProofShape shape = zk.proofShape();
    // the weight matrices as registered: outputs × inputs, both padded to powers of two
    assertThat(shape.weights())
        .containsExactly(
            new ZkModel.ProofShape.Matrix(128, 1024), new ZkModel.ProofShape.Matrix(16, 128));

    ZkProof proof =
        ZkProver.prove(zk, RandomModels.requestId(3), RandomModels.input(3, 784)).proof();
    // one GKR per instance, each over 2^bits leaves (the sent layer plus one sum-check per layer)
    assertThat(proof.lookups).hasSize(shape.lookupInstanceBits().size());
    for (int i = 0; i < proof.lookups.size(); i++) {
      FractionalSumGkr.Proof gkr = proof.lookups.get(i);
      int sentBits = Integer.numberOfTrailingZeros(gkr.sentFractions());
      assertThat(sentBits + gkr.layers().size()).isEqualTo(shape.lookupInstanceBits().get(i));
    }
    assertThat(shape.lookupLeaves())
        .isEqualTo(shape.lookupInstanceBits().stream().mapToLong(b -> 1L << b).sum());
    // the witness opening: whole leaves of rows-tall columns
    int rows = shape.witnessRows();
    int leafColumns = Ligero.leafColumns(rows, shape.witnessWidth(), Ligero.WITNESS_BLOWUP);
    assertThat(proof.witnessColumns.valueCount() % (rows * leafColumns)).isZero();
    assertThat(proof.witnessColumns.valueCount() / (rows * leafColumns))
        .isBetween(1, shape.witnessWidth() * Ligero.WITNESS_BLOWUP / leafColumns);
    // each weight matrix opened at whole columns of its rows
    List<ZkModel.ProofShape.Matrix> weights = shape.weights();
    assertThat(proof.weightColumns).hasSize(weights.size());
    for (int w = 0; w < weights.size(); w++) {
      int count = proof.weightColumns[w].valueCount();
      assertThat(count % weights.get(w).rows()).isZero();
      assertThat(count / weights.get(w).rows()).isBetween(1, Ligero.QUERIES_REGISTERED);
    }
  }
}
