package io.vouch.bench.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.benchmodels.ZkBenchmarkModels.Kind;
import io.vouch.zk.InvalidProofException;
import io.vouch.zk.mlp.ZkModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ZkmlFloors} times real work: its openings are checked (a tampered one is refused, so the
 * column checks it times are the verifier's, not a pass-through), and one short run prints a row.
 */
class ZkmlFloorsTest {
  @Test
  void theTimedColumnChecksRefuseATamperedOpening() {
    ZkModel zk = ZkModel.register(Kind.MNIST_MLP.build().model());
    ZkmlFloors.Parts parts = new ZkmlFloors.Parts(zk.proofShape(), new SplittableRandom(5));
    assertThat(parts.columnChecks()).isEqualTo(zk.proofShape().weights().size());
    assertThat(parts.gkr()).isPositive();

    ZkmlFloors.Opening honest = parts.weightOpening(0);
    List<long[]> combined = new ArrayList<>(honest.combined());
    long[] row = combined.get(0).clone();
    row[6] = row[6] == 0 ? 1 : row[6] - 1;
    combined.set(0, row);
    ZkmlFloors.Opening tampered =
        new ZkmlFloors.Opening(
            honest.root(),
            honest.rows(),
            honest.columns(),
            honest.leafColumns(),
            honest.blowup(),
            honest.coefficients(),
            combined,
            honest.queries(),
            honest.columnsOpened());
    assertThatThrownBy(tampered::verify).isInstanceOf(InvalidProofException.class);
  }

  @Test
  void aShortRunPrintsTheModelsRow() {
    String row = ZkmlFloors.measure(Kind.MNIST_MLP, 1, 1);
    assertThat(row).startsWith("| MNIST_MLP | 3 × 128 | 256 (2^8) |");
  }
}
