package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.hub.Keeper;
import io.vouch.chain.hub.KeeperMove;
import io.vouch.chain.hub.RequestStatus;
import io.vouch.core.Address;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The keeper's moves in one place: finalize after the challenge window, reassign or refund after
 * the deadline, and the hub's refusals of them as typed outcomes (recognised by selector) instead
 * of reverts.
 */
class KeeperTest extends DevChainTest {
  Keeper keeper() {
    return new InferenceHubClient(stranger, deployment).keeper();
  }

  RequestStatus status(BigInteger id) {
    return new InferenceHubClient(stranger, deployment).statusOf(id);
  }

  long deadlineOf(BigInteger id) throws Exception {
    return hub(stranger).getRequest(id).send().deadline.longValueExact();
  }

  long finalizableAt(BigInteger id) throws Exception {
    var r = hub(stranger).getRequest(id).send();
    return r.submittedAt.longValueExact() + r.challengeWindow.longValueExact();
  }

  long blockNumber() throws Exception {
    return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
  }

  // ---------------------------------------------------------------- finalize

  @Test
  void finalizingInsideTheChallengeWindowIsTooEarlyUntilTheWindowEnds() throws Exception {
    BigInteger id = request(requester, FEE);
    submitCorrectly(id, logits(1f));

    KeeperMove move = keeper().finalizeResult(id);

    assertThat(move).isInstanceOf(KeeperMove.TooEarly.class);
    assertThat(((KeeperMove.TooEarly) move).dueAt()).isEqualTo(finalizableAt(id));
    assertThat(status(id)).isEqualTo(RequestStatus.SUBMITTED);
  }

  @Test
  void finalizingAfterTheChallengeWindowSettlesTheResult() throws Exception {
    BigInteger id = request(requester, FEE);
    submitCorrectly(id, logits(1f));
    passChallengeWindow();

    KeeperMove move = keeper().finalizeResult(id);

    assertThat(move).isInstanceOf(KeeperMove.Finalized.class);
    assertThat(((KeeperMove.Finalized) move).transactionHash()).startsWith("0x");
    assertThat(status(id)).isEqualTo(RequestStatus.FINALIZED);
  }

  @Test
  void finalizingTwiceIsNothingToDoForTheSecondKeeper() throws Exception {
    BigInteger id = request(requester, FEE);
    submitCorrectly(id, logits(1f));
    passChallengeWindow();
    keeper().finalizeResult(id);

    assertThat(keeper().finalizeResult(id))
        .isInstanceOfSatisfying(
            KeeperMove.NothingToDo.class,
            n -> assertThat(n.status()).isEqualTo(RequestStatus.FINALIZED));
  }

  @Test
  void finalizingARequestWithoutResultIsNothingToDo() throws Exception {
    BigInteger id = request(requester, FEE);

    assertThat(keeper().finalizeResult(id))
        .isInstanceOfSatisfying(
            KeeperMove.NothingToDo.class,
            n -> assertThat(n.status()).isEqualTo(RequestStatus.ASSIGNED));
  }

  @Test
  void finalizingAnUnknownRequestIsNothingToDo() {
    assertThat(keeper().finalizeResult(BigInteger.valueOf(99)))
        .isInstanceOfSatisfying(
            KeeperMove.NothingToDo.class,
            n -> assertThat(n.status()).isEqualTo(RequestStatus.NONE));
  }

  // ---------------------------------------------------------------- reassign or refund

  @Test
  void reassigningBeforeTheDeadlineIsTooEarlyUntilTheSecondAfterIt() throws Exception {
    BigInteger id = request(requester, FEE);

    KeeperMove move = keeper().reassignOrRefund(id);

    assertThat(move).isInstanceOf(KeeperMove.TooEarly.class);
    assertThat(((KeeperMove.TooEarly) move).dueAt()).isEqualTo(deadlineOf(id) + 1);
    assertThat(status(id)).isEqualTo(RequestStatus.ASSIGNED);
  }

  @Test
  void afterTheDeadlineTheRequestGoesToAnotherNodeAndAfterTheLastAttemptBackToTheRequester()
      throws Exception {
    BigInteger id = request(requester, FEE);
    Address first = assignedNode(id);
    anvil.increaseTime(601);
    anvil.mine();

    KeeperMove reassigned = keeper().reassignOrRefund(id);

    assertThat(reassigned).isInstanceOf(KeeperMove.Reassigned.class);
    Address second = ((KeeperMove.Reassigned) reassigned).node();
    assertThat(second).isNotEqualTo(first).isEqualTo(assignedNode(id));
    assertThat(((KeeperMove.Reassigned) reassigned).deadline()).isEqualTo(deadlineOf(id));

    anvil.increaseTime(601);
    anvil.mine();
    KeeperMove refunded = keeper().reassignOrRefund(id);

    assertThat(refunded)
        .as("two attempts (PARAMETERS.maxAttempts) used up")
        .isInstanceOfSatisfying(
            KeeperMove.Refunded.class, r -> assertThat(r.amount()).isEqualTo(FEE));
    assertThat(status(id)).isEqualTo(RequestStatus.REFUNDED);
  }

  @Test
  void reassigningASubmittedRequestIsNothingToDo() throws Exception {
    BigInteger id = request(requester, FEE);
    submitCorrectly(id, logits(1f));
    anvil.increaseTime(601);
    anvil.mine();

    assertThat(keeper().reassignOrRefund(id))
        .isInstanceOfSatisfying(
            KeeperMove.NothingToDo.class,
            n -> assertThat(n.status()).isEqualTo(RequestStatus.SUBMITTED));
  }

  // ---------------------------------------------------------------- settle: the move that is due

  @Test
  void settlingBeforeAnythingIsDueSendsNothingAndSaysWhen() throws Exception {
    BigInteger id = request(requester, FEE);
    long afterDeadline = deadlineOf(id) + 1;
    long block = blockNumber();

    KeeperMove assigned = keeper().settle(id);
    submitCorrectly(id, logits(1f));
    long windowEnd = finalizableAt(id);
    long afterSubmit = blockNumber();
    KeeperMove submitted = keeper().settle(id);

    assertThat(assigned)
        .isInstanceOfSatisfying(
            KeeperMove.TooEarly.class, t -> assertThat(t.dueAt()).isEqualTo(afterDeadline));
    assertThat(submitted)
        .isInstanceOfSatisfying(
            KeeperMove.TooEarly.class, t -> assertThat(t.dueAt()).isEqualTo(windowEnd));
    assertThat(afterSubmit).as("one block: the submission").isEqualTo(block + 1);
    assertThat(blockNumber()).as("no keeper transaction").isEqualTo(afterSubmit);
  }

  @Test
  void settlingMakesTheMoveThatIsDue() throws Exception {
    BigInteger late = request(requester, FEE);
    BigInteger answered = request(requester, FEE);
    submitCorrectly(answered, logits(1f));
    anvil.increaseTime(601);
    anvil.mine();

    assertThat(keeper().settle(answered)).isInstanceOf(KeeperMove.Finalized.class);
    assertThat(keeper().settle(late)).isInstanceOf(KeeperMove.Reassigned.class);
    assertThat(keeper().settle(answered))
        .isInstanceOfSatisfying(
            KeeperMove.NothingToDo.class,
            n -> assertThat(n.status()).isEqualTo(RequestStatus.FINALIZED));
  }
}
