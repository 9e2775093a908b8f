package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.lookup.LookupTable;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A prover that commits to a witness other than the honest one is caught, whichever witness row it
 * changes: every row is tied to the others by a lookup or, through the accumulators that the
 * requantization identity defines from them, by a matrix–vector sum-check.
 */
class CheatingProverTest {
  private static final int[] WIDTHS = {12, 8, 6, 3};

  static LongStream seeds() {
    return LongStream.range(1, 6);
  }

  private static void assertRejected(long seed, int kind, long delta) {
    ZkModel model = ZkModel.register(RandomModels.mlp(seed, WIDTHS));
    WitnessPlan plan = model.plan();
    int layer = (int) (seed % 2);
    int neuron = (int) (seed % 6);
    int row = plan.vectors[layer][kind].firstRow();
    UnaryOperator<long[]> tamper =
        w -> {
          int i = row * plan.width + neuron;
          w[i] = Goldilocks.add(w[i], Goldilocks.fromSigned(delta));
          return w;
        };
    byte[] x = RandomModels.input(seed, WIDTHS[0]);
    byte[] request = RandomModels.requestId(seed);
    ProvedInference proved = ZkProver.prove(model, request, x, tamper);
    assertThatThrownBy(() ->
            ZkVerifier.verify(
                model.verifyingKey(), request, x, proved.logits(), proved.proof().toBytes()))
        .isInstanceOf(InvalidProofException.class);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void changedActivationIsCaught(long seed) {
    assertRejected(seed, WitnessPlan.A, 1);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void changedRequantizedValueIsCaught(long seed) {
    assertRejected(seed, WitnessPlan.V, 1);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void requantizedValueMovedByAWholeByteIsCaught(long seed) {
    // what h moved by one was before v replaced h and t: the clamp lookup alone cannot tell when a
    // stays in the table's row, the requantization identity must
    assertRejected(seed, WitnessPlan.V, 256);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void changedRemainderLimbIsCaught(long seed) {
    assertRejected(seed, WitnessPlan.LIMBS, 1);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void remainderOutOfRangeIsCaughtEvenWhenTheIdentityHolds(long seed) {
    // q one lower and e one 2^s higher define the same accumulator z = (2^s·q + e − 2^(s−1))/ε;
    // only the range check on e's top limb can tell
    ZkModel model = ZkModel.register(RandomModels.mlp(seed, WIDTHS));
    WitnessPlan plan = model.plan();
    var rq =
        (io.vouch.onnx.quant.LayerOutput.Requantized) model.integerModel().layers().get(0).output();
    int neuron = (int) (seed % 6);
    UnaryOperator<long[]> tamper =
        w -> {
          int t = plan.vectors[0][WitnessPlan.V].firstRow() * plan.width + neuron;
          w[t] = Goldilocks.sub(w[t], 1);
          int top =
              plan.vectors[0][WitnessPlan.LIMBS + plan.limbs[0] - 1].firstRow() * plan.width
                  + neuron;
          int topShift = LookupTable.REMAINDER_LIMB_BITS * (plan.limbs[0] - 1);
          w[top] = Goldilocks.add(w[top], 1L << (rq.shift() - topShift));
          return w;
        };
    byte[] x = RandomModels.input(seed, WIDTHS[0]);
    byte[] request = RandomModels.requestId(seed);
    ProvedInference proved = ZkProver.prove(model, request, x, tamper);
    assertThatThrownBy(() ->
            ZkVerifier.verify(
                model.verifyingKey(), request, x, proved.logits(), proved.proof().toBytes()))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("lookups");
  }
}
