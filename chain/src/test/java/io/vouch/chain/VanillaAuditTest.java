package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.ModelRegistry;
import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * VANILLA results through the court: a lottery seeded by the block after the submission selects
 * them for audit with the model's rate; a selected result is settled by a committee's quorum, a
 * result not selected after its window.
 */
class VanillaAuditTest extends CourtChainTest {
  static final VerificationLevel VANILLA = VerificationLevel.VANILLA;
  static final Tensor OUTPUT = logits(0.5f, -0.5f);

  BigInteger submitted(Bytes32 model) throws Exception {
    BigInteger id = requestOn(model, VANILLA);
    submitOn(id, model, VANILLA, OUTPUT);
    return id;
  }

  @Test
  void theAuditLotteryComputesAsJavaDoesAndSelectsAtTheModelsRate() throws Exception {
    VerificationCourt court = court(stranger);
    SplittableRandom r = new SplittableRandom(12);
    int selected = 0;
    int draws = 1_000;
    for (int i = 0; i < draws; i++) {
      byte[] seed = new byte[32];
      r.nextBytes(seed);
      BigInteger caseId = BigInteger.valueOf(r.nextLong(1L << 40)).shiftLeft(8).or(BigInteger.ONE);
      int ticket = auditTicket(Bytes32.wrap(seed), caseId);
      assertThat(court.auditTicket(seed, caseId).send().intValueExact()).isEqualTo(ticket);
      if (ticket < 1_000) {
        selected++;
      }
    }
    // 1,000 seeded draws at 10 %: binomial mean 100, standard deviation 9.5 (a fixed count: the
    // seeds are fixed)
    assertThat(selected).isBetween(70, 130);
    assertThat(court.auditSelected(new byte[32], BigInteger.ONE, BigInteger.ZERO).send()).isFalse();
    assertThat(court.auditSelected(new byte[32], BigInteger.ONE, BigInteger.valueOf(10_000)).send())
        .isTrue();
  }

  @Test
  void modelsCarryTheirAuditRateAndTolerance() throws Exception {
    ModelRegistry.Model audited = models(stranger).getModel(auditedModel.toArray()).send();
    ModelRegistry.Model byDefault = models(stranger).getModel(zkModel.toArray()).send();

    assertThat(audited.auditRateBps).isEqualTo(BigInteger.valueOf(10_000));
    assertThat(byDefault.auditRateBps).isEqualTo(BigInteger.valueOf(COURT.defaultAuditRateBps()));
    assertThat(byDefault.tolerance).isEqualTo(models(stranger).DEFAULT_TOLERANCE().send());
    assertThat(Bytes32.wrap(byDefault.tolerance).toHex())
        .as("ARGMAX_AND_MAX_ABS, ε = 1e-4 as float32")
        .startsWith("0x01" + Integer.toHexString(Float.floatToIntBits(1e-4f)));
    assertReverts(
        "AuditRateTooHigh",
        () ->
            models(modelOwner)
                .publish(
                    "too-audited",
                    BigInteger.ONE,
                    "bafk",
                    new byte[32],
                    new byte[32],
                    BigInteger.ONE,
                    MODEL_FEE,
                    BigInteger.valueOf(10_001),
                    new byte[32])
                .send());
  }

  @Test
  void aSubmissionsLotteryIsDecidedByTheHashOfTheBlockAfterIt() throws Exception {
    BigInteger id = requestOn(zkModel, VANILLA); // the default rate, 10 %
    TransactionReceipt r = submitOn(id, zkModel, VANILLA, OUTPUT);
    BigInteger caseId = caseOf(id);
    assertThat(state(caseId)).isEqualTo(LOTTERY);
    assertThat(caseView(caseId).lotteryResolved).isFalse();

    TransactionReceipt drawn = draw(caseId);

    Bytes32 seed = blockHash(r.getBlockNumber().longValueExact() + 1);
    boolean expected = auditTicket(seed, caseId) < COURT.defaultAuditRateBps();
    var lottery = VerificationCourt.getAuditLotteryEvents(drawn).getFirst();
    assertThat(lottery.selected).isEqualTo(expected);
    assertThat(caseView(caseId).auditSelected).isEqualTo(expected);
    assertThat(state(caseId)).isEqualTo(expected ? VOTING : NOT_SELECTED);
  }

  @Test
  void aVanillaRequestRoutedThroughTheCourtReservesTheVerificationFee() throws Exception {
    BigInteger enoughWithoutCourt = MODEL_FEE.add(NODE_PRICE);
    var e =
        assertReverts(
            "FeeTooLow",
            () -> requestOn(unauditedModel, VANILLA, enoughWithoutCourt, Address.ZERO));
    assertThat(e.argument("required")).isEqualTo(enoughWithoutCourt.add(VERIFICATION_FEE));
  }

  @Test
  void aResultNotSelectedFinalizesAfterItsWindowAndTheVerificationFeeIsRefunded() throws Exception {
    BigInteger id = submitted(unauditedModel);
    BigInteger caseId = caseOf(id);
    assertThat(state(caseId)).isEqualTo(NOT_SELECTED);
    assertReverts("ChallengeWindowOpen", () -> hub(stranger).finalize(id).send());
    passChallengeWindow();

    hub(stranger).finalize(id).send();

    assertThat(hub(stranger).statusOf(id).send()).isEqualTo(BigInteger.valueOf(3));
    assertThat(hubPaid(requester.address(), PAY_REFUND))
        .isEqualTo(FEE.subtract(NODE_PRICE).subtract(MODEL_FEE));
  }

  @Test
  void aResultSelectedForAuditIsFinalizedByAValidQuorumBeforeItsWindowEnds() throws Exception {
    BigInteger id = submitted(auditedModel);
    BigInteger caseId = caseOf(id);
    assertThat(state(caseId)).as("a 100 % rate needs no lottery").isEqualTo(AWAITING_DRAW);
    draw(caseId);
    List<Address> members = committee(caseId);

    votes(caseId, 2, true);

    assertThat(hub(stranger).statusOf(id).send()).isEqualTo(BigInteger.valueOf(3));
    assertThat(caseView(caseId).auditSelected).isTrue();
    assertThat(hubPaid(members.get(0), PAY_VERIFICATION_FEE)).isEqualTo(VERDICT_FEE);
    assertThat(hubPaid(requester.address(), PAY_REFUND))
        .isEqualTo(
            FEE.subtract(NODE_PRICE)
                .subtract(MODEL_FEE)
                .subtract(VERDICT_FEE.multiply(BigInteger.TWO)));
  }

  @Test
  void aResultAnAuditFindsInvalidSlashesTheNodeAndGoesToAnotherNode() throws Exception {
    BigInteger id = submitted(auditedModel);
    Address node = assignedNode(id);
    BigInteger caseId = caseOf(id);
    draw(caseId);

    votes(caseId, 2, false);

    assertThat(nodes(stranger).stakeOf(node.toHex()).send())
        .isEqualTo(ETH.multiply(BigInteger.TWO).subtract(COURT.slashWei()));
    assertThat(assignedNode(id)).isNotEqualTo(node);
    assertThat(hub(stranger).statusOf(id).send()).isEqualTo(BigInteger.ONE);
  }

  @Test
  void aResultDoesNotFinalizeByItsWindowWhileItsAuditIsPending() throws Exception {
    BigInteger id = submitted(auditedModel);
    passChallengeWindow();

    assertReverts("VerificationPending", () -> hub(stranger).finalize(id).send());
    draw(caseOf(id));
    assertReverts("VerificationPending", () -> hub(stranger).finalize(id).send());
  }

  @Test
  void aLotteryNobodyResolvedWithin256BlocksCountsAsSelected() throws Exception {
    BigInteger id = submitted(zkModel); // 10 %
    BigInteger caseId = caseOf(id);
    anvil.mine(300);
    passChallengeWindow();
    assertReverts("VerificationPending", () -> hub(stranger).finalize(id).send());
    assertThat(caseView(caseId).auditSelected).isTrue();

    TransactionReceipt r = court(stranger).draw(caseId).send();

    var lottery = VerificationCourt.getAuditLotteryEvents(r).getFirst();
    assertThat(lottery.selected).isTrue();
    assertThat(lottery.expired).isTrue();
    assertThat(state(caseId)).isEqualTo(AWAITING_DRAW);
    draw(caseId);
    assertThat(state(caseId)).isEqualTo(VOTING);
  }

  @Test
  void anAuditWithoutQuorumFallsBackToTheChallengeWindow() throws Exception {
    BigInteger id = submitted(auditedModel);
    BigInteger caseId = caseOf(id);
    for (int round = 0; round < COURT.maxRounds() && state(caseId) != RELEASED; round++) {
      draw(caseId);
      if (state(caseId) == VOTING) {
        anvil.increaseTime(COURT.verdictWindowSeconds() + 1);
        anvil.mine();
        court(stranger).expire(caseId, committeeArg(caseId)).send();
      } // else: the redraw left fewer members than a quorum (the silent three are out): released
    }
    assertThat(state(caseId)).isEqualTo(RELEASED);

    hub(stranger).finalize(id).send(); // the window passed during the rounds

    assertThat(hub(stranger).statusOf(id).send()).isEqualTo(BigInteger.valueOf(3));
    assertThat(hubPaid(requester.address(), PAY_REFUND))
        .as("nobody verified: the verification fee comes back")
        .isEqualTo(FEE.subtract(NODE_PRICE).subtract(MODEL_FEE));
  }
}
