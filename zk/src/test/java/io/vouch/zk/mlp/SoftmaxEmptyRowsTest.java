package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.SoftmaxOp;
import io.vouch.zk.InvalidProofException;
import io.vouch.zk.field.Goldilocks;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Nothing a softmax commits is left free where no value is (proof format 12): on the rows of the
 * matrices' index cube that hold no row and on the positions beyond the cube, a selector entry is
 * refused (its zero-check adds the pad there, not only on the padding columns), and so is a
 * reciprocal R on an empty row (E + 1 times R plus r1 must be 0 there). The models are the seeded
 * random graphs whose softmax has such rows or positions; the honest proofs verify.
 */
class SoftmaxEmptyRowsTest {
  private static final byte[] REQUEST = RandomModels.requestId(95);

  /** A random graph's softmax op with its plan, and the first seed that has one as asked. */
  private record Found(long seed, ZkModel zk, byte[] x, int j, SoftmaxOp sm, MatrixBits mb) {}

  private static Found find(Predicate<Found> wanted) {
    for (long seed = 1; seed <= 400; seed++) {
      IntegerModel model = RandomGraphs.graph(seed);
      for (int j = 0; j < model.ops().size(); j++) {
        if (model.ops().get(j) instanceof SoftmaxOp sm) {
          ZkModel zk = ZkModel.register(model);
          if (zk.plan().vectors[j].length == 0) {
            continue;
          }
          WitnessPlan.Layout lo = zk.plan().layoutOf(model.tensorOf(j));
          MatrixBits mb = MatrixBits.of(lo, sm.batch(), sm.rows(), sm.length());
          Found f = new Found(seed, zk, RandomGraphs.input(model, seed), j, sm, mb);
          if (wanted.test(f)) {
            return f;
          }
        }
      }
    }
    throw new AssertionError("no seeded graph has such a softmax");
  }

  private static boolean hasEmptyRows(Found f) {
    return f.sm().rows() < 1 << f.mb().rowBits() || f.sm().batch() < 1 << f.mb().batchBits();
  }

  private static boolean hasPositionsBeyondTheCube(Found f) {
    MatrixBits mb = f.mb();
    return mb.domainBits() > mb.colBits() + mb.rowBits() + mb.batchBits();
  }

  /** An empty row of the cube: (b, i) with b ≥ batch or i ≥ rows. */
  private static int emptyRow(Found f) {
    for (int b = 0; b < 1 << f.mb().batchBits(); b++) {
      for (int i = 0; i < 1 << f.mb().rowBits(); i++) {
        if (b >= f.sm().batch() || i >= f.sm().rows()) {
          return i | b << f.mb().rowBits();
        }
      }
    }
    throw new AssertionError("no empty row");
  }

  private static void verifies(Found f) {
    ProvedInference p = ZkProver.prove(f.zk(), REQUEST, f.x());
    ZkVerifier.verify(f.zk().verifyingKey(), REQUEST, f.x(), p.logits(), p.proof().toBytes());
  }

  private static void refused(Found f, UnaryOperator<long[]> tamper, String reason) {
    ProvedInference p = ZkProver.prove(f.zk(), REQUEST, f.x(), tamper);
    assertThatThrownBy(() ->
            ZkVerifier.verify(
                f.zk().verifyingKey(), REQUEST, f.x(), p.logits(), p.proof().toBytes()))
        .as("seed " + f.seed())
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void aReciprocalOnAnEmptyRowIsRefused() {
    Found f = find(SoftmaxEmptyRowsTest::hasEmptyRows);
    verifies(f);
    WitnessPlan plan = f.zk().plan();
    WitnessPlan.Vec r = plan.vectors[f.j()][WitnessPlan.smReciprocal(f.sm())];
    int at = r.firstRow() * plan.width + WitnessPlan.rowLayout(f.sm(), plan.logWidth).physical(0);
    int row = emptyRow(f);
    // the row's index in the per-row vector: row | batch << rowBits, as its layout places it
    int position = r.firstRow() * plan.width + row;
    assertThat(position).isGreaterThanOrEqualTo(at);
    refused(
        f,
        w -> {
          w[position] = Goldilocks.add(w[position], 3); // in R's range, multiplied by e = 0
          return w;
        },
        "a row's R is not ⌊Q·2^K/E⌋");
  }

  @Test
  void aSelectorPairOnAnEmptyRowIsRefused() {
    Found f = find(SoftmaxEmptyRowsTest::hasEmptyRows);
    WitnessPlan plan = f.zk().plan();
    WitnessPlan.Vec s = plan.vectors[f.j()][WitnessPlan.smSelector(f.sm())];
    int row = emptyRow(f);
    int b = row >>> f.mb().rowBits(), i = row & ((1 << f.mb().rowBits()) - 1);
    int p0 = s.firstRow() * plan.width + f.mb().physical(b, i, 0);
    int p1 = s.firstRow() * plan.width + f.mb().physical(b, i, 1);
    refused(
        f,
        w -> {
          // +1 and −1: the row still sums to 0, each on a d of 0
          w[p0] = Goldilocks.add(w[p0], 1);
          w[p1] = Goldilocks.sub(w[p1], 1);
          return w;
        },
        "some row's maximum is none of its values");
  }

  @Test
  void aSelectorBeyondTheCubeIsRefused() {
    Found f = find(SoftmaxEmptyRowsTest::hasPositionsBeyondTheCube);
    verifies(f);
    WitnessPlan plan = f.zk().plan();
    WitnessPlan.Vec s = plan.vectors[f.j()][WitnessPlan.smSelector(f.sm())];
    MatrixBits mb = f.mb();
    int beyond = 1 << (mb.colBits() + mb.rowBits() + mb.batchBits()); // first position past it
    assertThat(mb.isValue(beyond, f.sm().batch(), f.sm().rows(), f.sm().length())).isFalse();
    int at = s.firstRow() * plan.width + beyond;
    assertThat(at).isLessThan((s.firstRow() + s.rows()) * plan.width);
    refused(
        f,
        w -> {
          w[at] = Goldilocks.add(w[at], 1);
          return w;
        },
        "some row's maximum is none of its values");
  }
}
