package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.testing.ScriptedConsumer;
import io.vouch.chain.events.HubEvent;
import io.vouch.chain.tx.GasLimits;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

class InferenceHubLifecycleTest extends DevChainTest {
  static final int RECORD = 0;
  static final int REVERT = 1;
  static final int BURN_GAS = 2;
  static final BigInteger CALLBACK_GAS = BigInteger.valueOf(300_000);

  ScriptedConsumer consumer(TransactionSender owner, int mode, boolean refuseEth) throws Exception {
    ScriptedConsumer c =
        ScriptedConsumer.deploy(
                anvil.web3j(), owner, GasLimits.DEFAULT, deployment.inferenceHub().toHex())
            .send();
    c.setMode(BigInteger.valueOf(mode), refuseEth).send();
    return c;
  }

  BigInteger requestThrough(ScriptedConsumer c, boolean fast) throws Exception {
    TransactionReceipt r =
        c.request(
                modelId.toArray(),
                input().canonicalBytes(),
                BigInteger.valueOf(now() + 600),
                CALLBACK_GAS,
                fast,
                FEE)
            .send();
    return InferenceHub.getInferenceRequestedEvents(r).getFirst().requestId;
  }

  int status(BigInteger requestId) throws Exception {
    return hub(deployer).statusOf(requestId).send().intValueExact();
  }

  @Test
  void aRequestIsAssignedToARegisteredNodeAndEscrowsTheFee() throws Exception {
    BigInteger id = request(requester, FEE);

    assertThat(assignedNode(id)).isIn(node1.address(), node2.address());
    assertThat(status(id)).isEqualTo(1); // Assigned
    assertThat(hub(deployer).totalEscrowed().send()).isEqualTo(FEE);
  }

  @Test
  void aFinalizedResultPaysNodeAndModelOwnerRefundsTheRestAndCallsBackAsFinal() throws Exception {
    ScriptedConsumer c = consumer(requester, RECORD, false);
    BigInteger id = requestThrough(c, false);
    Address node = assignedNode(id);
    BigInteger nodeBefore = balanceOf(node);
    BigInteger ownerBefore = balanceOf(modelOwner.address());
    Tensor output = logits(0.5f, 2.5f, -1f);

    submitCorrectly(id, output);
    assertThat(c.resultCalls().send()).as("no early callback without fast delivery").isZero();
    passChallengeWindow();
    hub(stranger).finalize(id).send(); // anyone may finalize

    assertThat(status(id)).isEqualTo(3); // Finalized
    assertThat(c.resultCalls().send()).isEqualTo(BigInteger.ONE);
    assertThat(c.lastFinalized().send()).isTrue();
    assertThat(Bytes32.wrap(c.lastOutputHash().send())).isEqualTo(output.hash());
    assertThat(c.lastOutput().send()).isEqualTo(output.canonicalBytes());
    assertThat(balanceOf(modelOwner.address()).subtract(ownerBefore)).isEqualTo(MODEL_FEE);
    assertThat(balanceOf(node).subtract(nodeBefore))
        .as("node's price minus the gas it paid to submit")
        .isLessThan(NODE_PRICE)
        .isPositive();
    assertThat(balanceOf(Address.fromHex(c.getContractAddress())))
        .isEqualTo(FEE.subtract(NODE_PRICE).subtract(MODEL_FEE));
  }

  @Test
  void fastDeliveryCallsBackOnceUnfinalizedAtSubmissionAndAgainFinalized() throws Exception {
    ScriptedConsumer c = consumer(requester, RECORD, false);
    BigInteger id = requestThrough(c, true);

    submitCorrectly(id, logits(1f, 0f));
    assertThat(c.resultCalls().send()).isEqualTo(BigInteger.ONE);
    assertThat(c.lastFinalized().send()).isFalse();

    passChallengeWindow();
    hub(stranger).finalize(id).send();
    assertThat(c.resultCalls().send()).isEqualTo(BigInteger.TWO);
    assertThat(c.lastFinalized().send()).isTrue();
  }

  @Test
  void finalizingBeforeTheChallengeWindowEndsReverts() throws Exception {
    BigInteger id = request(requester, FEE);
    submitCorrectly(id, logits(1f));

    assertReverts("ChallengeWindowOpen", () -> hub(stranger).finalize(id).send());
  }

  @Test
  void aMissedDeadlineReassignsToTheOtherNode() throws Exception {
    BigInteger id = request(requester, FEE);
    Address first = assignedNode(id);
    anvil.increaseTime(601);
    anvil.mine();

    hub(stranger).reassignOrRefund(id).send();

    Address second = assignedNode(id);
    assertThat(second).isNotEqualTo(first).isIn(node1.address(), node2.address());
    assertThat(status(id)).isEqualTo(1);
    assertThat(hub(deployer).getRequest(id).send().attempts).isEqualTo(BigInteger.TWO);
  }

  @Test
  void whenNoNodeIsLeftTheFeeIsRefundedWithAnErrorCallback() throws Exception {
    ScriptedConsumer c = consumer(requester, RECORD, false);
    BigInteger id = requestThrough(c, false);
    for (int attempt = 0; attempt < 2; attempt++) {
      anvil.increaseTime(601);
      anvil.mine();
      hub(stranger).reassignOrRefund(id).send();
    }

    assertThat(status(id)).isEqualTo(4); // Refunded
    assertThat(c.errorCalls().send()).isEqualTo(BigInteger.ONE);
    assertThat(c.lastError().send()).contains("deadline");
    assertThat(balanceOf(Address.fromHex(c.getContractAddress()))).isEqualTo(FEE);
    assertThat(hub(deployer).totalEscrowed().send()).isZero();
  }

  @Test
  void aRevertingCallbackDoesNotBlockSettlement() throws Exception {
    ScriptedConsumer c = consumer(requester, REVERT, false);
    BigInteger id = requestThrough(c, true);
    submitCorrectly(id, logits(1f));
    passChallengeWindow();

    hub(stranger).finalize(id).send();

    assertThat(status(id)).isEqualTo(3);
    List<HubEvent> events = eventsOfThisTest();
    assertThat(events)
        .filteredOn(e -> e instanceof HubEvent.CallbackFailed)
        .hasSize(2); // the fast and the final delivery both failed
    assertThat(events).noneMatch(e -> e instanceof HubEvent.CallbackDelivered);
  }

  @Test
  void aGasBurningCallbackUsesOnlyItsLimitAndDoesNotBlockSettlement() throws Exception {
    ScriptedConsumer c = consumer(requester, BURN_GAS, false);
    BigInteger id = requestThrough(c, false);
    submitCorrectly(id, logits(1f));
    passChallengeWindow();

    TransactionReceipt r = hub(stranger).finalize(id).send();

    assertThat(status(id)).isEqualTo(3);
    assertThat(r.getGasUsed()).isLessThan(CALLBACK_GAS.add(BigInteger.valueOf(200_000)));
    assertThat(eventsOfThisTest()).anyMatch(e -> e instanceof HubEvent.CallbackFailed);
  }

  @Test
  void aRequesterThatRefusesEthGetsItsRefundSetAsideToClaim() throws Exception {
    ScriptedConsumer c = consumer(requester, RECORD, true);
    BigInteger id = requestThrough(c, false);
    submitCorrectly(id, logits(1f));
    passChallengeWindow();
    hub(stranger).finalize(id).send();

    BigInteger owed = FEE.subtract(NODE_PRICE).subtract(MODEL_FEE);
    assertThat(hub(deployer).owedTo(c.getContractAddress()).send()).isEqualTo(owed);
    assertThat(hub(deployer).totalOwed().send()).isEqualTo(owed);

    c.setMode(BigInteger.ZERO, false).send();
    c.claimFromHub().send();
    assertThat(hub(deployer).totalOwed().send()).isZero();
    assertThat(balanceOf(Address.fromHex(c.getContractAddress()))).isEqualTo(owed);
  }

  @Test
  void aPreferredEligibleNodeIsAssigned() throws Exception {
    for (TransactionSender preferred : List.of(node1, node2)) {
      TransactionReceipt r =
          hub(requester)
              .request(
                  modelId.toArray(),
                  new byte[0],
                  input().hash().toArray(),
                  BigInteger.ZERO,
                  BigInteger.valueOf(now() + 600),
                  preferred.address().toHex(),
                  Address.ZERO.toHex(),
                  BigInteger.ZERO,
                  false,
                  FEE)
              .send();
      BigInteger id = InferenceHub.getInferenceRequestedEvents(r).getFirst().requestId;
      assertThat(assignedNode(id)).isEqualTo(preferred.address());
    }
  }
}
