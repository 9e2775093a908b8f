package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The prover splits large steps between the caller and a helper thread when the helper is free;
 * whichever thread runs which half, and however many provers run at once, the proof is the same.
 */
class ParallelProvingTest {
  // wide enough that the GKR rounds, sum-checks, Merkle trees and folds all take the split paths
  private static final int[] WIDTHS = {300, 256, 130, 10};

  @Test
  void concurrentProversProduceTheSequentialProofByteForByte() throws Exception {
    ZkModel model = ZkModel.register(RandomModels.mlp(21, WIDTHS));
    List<byte[]> inputs = new ArrayList<>();
    List<byte[]> expected = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      byte[] x = RandomModels.input(100 + i, WIDTHS[0]);
      inputs.add(x);
      expected.add(ZkProver.prove(model, RandomModels.requestId(i), x).proof().toBytes());
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<byte[]>> proofs = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < inputs.size(); i++) {
          int k = i;
          proofs.add(
              pool.submit(() ->
                  ZkProver.prove(model, RandomModels.requestId(k), inputs.get(k))
                      .proof()
                      .toBytes()));
        }
      }
      for (int j = 0; j < proofs.size(); j++) {
        byte[] proof = proofs.get(j).get(120, TimeUnit.SECONDS);
        assertThat(proof).isEqualTo(expected.get(j % inputs.size()));
        int k = j % inputs.size();
        assertThat(
                ZkVerifier.isValid(
                    model.verifyingKey(),
                    RandomModels.requestId(k),
                    inputs.get(k),
                    ZkProver.prove(model, RandomModels.requestId(k), inputs.get(k)).logits(),
                    proof))
            .isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
