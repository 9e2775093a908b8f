package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.field.Goldilocks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The witness opening of proof format 7: every opening point's claim is batched and reduced by one
 * sum-check to a single point, where one combined row is opened. The proof's last messages are the
 * proximity row, the sum-check's log B rounds and the combined row; each is bound.
 */
class WitnessOpeningTest {
  private static final int[] WIDTHS = {33, 17, 9, 10};

  private final ZkModel model = ZkModel.register(RandomModels.mlp(4, WIDTHS));
  private final byte[] x = RandomModels.input(4, WIDTHS[0]);
  private final byte[] request = RandomModels.requestId(4);
  private final ProvedInference proved = ZkProver.prove(model, request, x);
  private final int logWidth = model.plan().logWidth;

  private ZkProof withMessage(int fromEnd, int element, long delta) {
    ZkProof p = proved.proof();
    List<long[]> messages = new ArrayList<>();
    for (long[] m : p.messages) {
      messages.add(m.clone());
    }
    long[] m = messages.get(messages.size() - 1 - fromEnd);
    m[element] = Goldilocks.add(m[element], delta);
    return new ZkProof(
        p.witnessRoot, p.multiplicities, p.lookups, messages, p.witnessColumns, p.weightColumns);
  }

  private void refused(ZkProof tampered) {
    assertThatThrownBy(() ->
            ZkVerifier.verify(
                model.verifyingKey(), request, x, proved.logits(), tampered.toBytes()))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void theProofOpensOneCombinedRowOfTheWitnessWidthAfterTheBatchingSumCheck() {
    List<long[]> messages = proved.proof().messages;
    int width = model.plan().width;
    assertThat(messages.get(messages.size() - 1)).hasSize(2 * width);
    for (int i = 1; i <= logWidth; i++) {
      assertThat(messages.get(messages.size() - 1 - i)).hasSize(6); // s(0), s(1), s(2) in K
    }
    assertThat(messages.get(messages.size() - 2 - logWidth)).hasSize(2 * width);
  }

  @Test
  void aChangedCombinedRowIsRefused() {
    refused(withMessage(0, 0, 1));
    refused(withMessage(0, 2 * model.plan().width - 1, 1));
  }

  @Test
  void aChangedRoundOfTheBatchingSumCheckIsRefused() {
    for (int round = 0; round < logWidth; round++) {
      refused(withMessage(1 + round, 0, 1));
      refused(withMessage(1 + round, 4, 1)); // s(2), which s(0) + s(1) does not check
    }
  }

  @Test
  void aChangedProximityRowIsRefused() {
    refused(withMessage(1 + logWidth, 0, 1));
  }

  @Test
  void aChangedRowEvaluationAtAnOpeningPointIsRefused() {
    // the rows at the output point are the message after the lookup rows; change every message
    // that is not part of the opening, one at a time, at its first element
    int opening = 2 + logWidth;
    for (int i = opening; i < proved.proof().messages.size(); i++) {
      refused(withMessage(i, 0, 1));
    }
  }

  @Test
  void theHonestProofStillVerifiesAfterTheTamperingCopies() {
    ZkProof same = withMessage(0, 0, 0);
    ZkVerifier.verify(model.verifyingKey(), request, x, proved.logits(), same.toBytes());
  }
}
