package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Challenges of VANILLA results the audit lottery did not select: a staked validator puts up a bond
 * before the window ends and a committee judges the result.
 */
class ChallengeTest extends CourtChainTest {
  static final VerificationLevel VANILLA = VerificationLevel.VANILLA;
  static final Tensor OUTPUT = logits(0.5f, -0.5f);
  static final BigInteger BOND = COURT.challengeBondWei();

  BigInteger submittedUnaudited() throws Exception {
    BigInteger id = requestOn(unauditedModel, VANILLA);
    submitOn(id, unauditedModel, VANILLA, OUTPUT);
    return id;
  }

  Address challengerAddress() {
    return validators.keySet().iterator().next();
  }

  TransactionReceipt challenge(BigInteger caseId, Address challenger, BigInteger bond)
      throws Exception {
    return court(validator(challenger)).challenge(caseId, bond).send();
  }

  @Test
  void aChallengeOpensACaseWhoseCommitteeLeavesOutTheChallenger() throws Exception {
    BigInteger id = submittedUnaudited();
    BigInteger caseId = caseOf(id);
    Address challenger = challengerAddress();

    TransactionReceipt r = challenge(caseId, challenger, BOND);

    var event = VerificationCourt.getChallengedEvents(r).getFirst();
    assertThat(Address.fromHex(event.challenger)).isEqualTo(challenger);
    assertThat(event.bond).isEqualTo(BOND);
    assertThat(caseView(caseId).kind.intValueExact()).isEqualTo(KIND_CHALLENGE);
    assertThat(court(stranger).totalBonds().send()).isEqualTo(BOND);
    draw(caseId);
    assertThat(committee(caseId)).hasSize(3).doesNotContain(challenger);
  }

  @Test
  void aFrivolousChallengeLosesItsBondToTheCommitteeAndTheNode() throws Exception {
    BigInteger id = submittedUnaudited();
    Address node = assignedNode(id);
    BigInteger caseId = caseOf(id);
    Address challenger = challengerAddress();
    challenge(caseId, challenger, BOND);
    draw(caseId);
    List<Address> members = committee(caseId);

    votes(caseId, 2, true);

    assertThat(state(caseId)).isEqualTo(VALID);
    assertThat(hub(stranger).statusOf(id).send())
        .as("judged valid: final at once")
        .isEqualTo(BigInteger.valueOf(3));
    assertThat(courtPaid(challenger)).isZero();
    assertThat(courtPaid(members.get(0))).isEqualTo(VERDICT_FEE);
    assertThat(courtPaid(members.get(1))).isEqualTo(VERDICT_FEE);
    assertThat(courtPaid(node)).isEqualTo(BOND.subtract(VERDICT_FEE.multiply(BigInteger.TWO)));
    assertThat(hubPaid(requester.address(), PAY_REFUND))
        .as("the requester's verification fee was not used")
        .isEqualTo(FEE.subtract(NODE_PRICE).subtract(MODEL_FEE));
    assertThat(court(stranger).totalBonds().send()).isZero();
  }

  @Test
  void anUpheldChallengeSlashesTheNodeAndRewardsTheChallenger() throws Exception {
    BigInteger id = submittedUnaudited();
    Address node = assignedNode(id);
    BigInteger caseId = caseOf(id);
    Address challenger = challengerAddress();
    challenge(caseId, challenger, BOND);
    draw(caseId);
    List<Address> members = committee(caseId);

    votes(caseId, 2, false);

    BigInteger half = COURT.slashWei().divide(BigInteger.TWO);
    assertThat(nodes(stranger).stakeOf(node.toHex()).send())
        .isEqualTo(ETH.multiply(BigInteger.TWO).subtract(COURT.slashWei()));
    assertThat(courtPaid(challenger)).as("bond back and half the slash").isEqualTo(BOND.add(half));
    assertThat(courtPaid(members.get(0)).add(courtPaid(members.get(1)))).isEqualTo(half);
    assertThat(assignedNode(id)).isNotEqualTo(node);
    assertThat(hub(stranger).totalEscrowed().send()).isEqualTo(FEE);
  }

  @Test
  void aChallengeAfterTheWindowIsRefused() throws Exception {
    BigInteger id = submittedUnaudited();
    passChallengeWindow();

    var e =
        assertReverts(
            "ChallengeWindowClosed", () -> challenge(caseOf(id), challengerAddress(), BOND));
    assertThat(e.argument("caseId")).isEqualTo(caseOf(id));
  }

  @Test
  void aChallengeNeedsAStakedValidatorAndExactlyTheBond() throws Exception {
    BigInteger caseId = caseOf(submittedUnaudited());

    assertReverts(
        "WrongBond", () -> challenge(caseId, challengerAddress(), BOND.subtract(BigInteger.ONE)));
    assertReverts("NotAValidator", () -> court(stranger).challenge(caseId, BOND).send());
    TransactionSender node = senderFor(assignedNode(caseId.shiftRight(8)));
    assertReverts("NotAValidator", () -> court(node).challenge(caseId, BOND).send());
  }

  @Test
  void aResultAlreadyDrawnForAuditCannotBeChallenged() throws Exception {
    BigInteger id = requestOn(auditedModel, VANILLA);
    submitOn(id, auditedModel, VANILLA, OUTPUT);

    assertReverts("NotChallengeable", () -> challenge(caseOf(id), challengerAddress(), BOND));
  }

  @Test
  void aPendingChallengeHoldsTheResultPastItsWindow() throws Exception {
    BigInteger id = submittedUnaudited();
    challenge(caseOf(id), challengerAddress(), BOND);
    passChallengeWindow();

    assertReverts("VerificationPending", () -> hub(stranger).finalize(id).send());
  }

  @Test
  void aChallengeWithoutQuorumGetsItsBondBackAndTheResultFinalizes() throws Exception {
    BigInteger id = submittedUnaudited();
    BigInteger caseId = caseOf(id);
    Address challenger = challengerAddress();
    challenge(caseId, challenger, BOND);
    draw(caseId);
    anvil.increaseTime(COURT.verdictWindowSeconds() + 1);
    anvil.mine();
    court(stranger).expire(caseId, committeeArg(caseId)).send();
    // the second round has nobody left to draw: the challenger and the three silent members are out
    TransactionReceipt released = draw(caseId);

    assertThat(VerificationCourt.getCaseReleasedEvents(released).getFirst().reason)
        .contains("no validator");
    assertThat(state(caseId)).isEqualTo(RELEASED);
    assertThat(courtPaid(challenger)).isEqualTo(BOND);
    hub(stranger).finalize(id).send();
    assertThat(hub(stranger).statusOf(id).send()).isEqualTo(BigInteger.valueOf(3));
  }
}
