package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.chain.contracts.testing.ScriptedConsumer;
import io.vouch.chain.tx.GasLimits;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * ZKML results through the VerificationCourt (issue 12): a committee drawn after the submission
 * verifies the proof; a VALID quorum settles at once, an INVALID quorum slashes the node and sends
 * the request on, and a committee that does not decide is redrawn, then the request refunded.
 */
class ZkmlCourtTest extends CourtChainTest {
  static final VerificationLevel ZK = VerificationLevel.ZKML;
  static final Tensor RIGHT = logits(0.25f, 3f, -1f);
  static final Tensor WRONG = logits(9f, 0f, 0f);

  BigInteger submittedZkRequest(Tensor output) throws Exception {
    BigInteger id = requestOn(zkModel, ZK);
    submitOn(id, zkModel, ZK, output);
    return id;
  }

  ScriptedConsumer consumer() throws Exception {
    return ScriptedConsumer.deploy(
            anvil.web3j(), requester, GasLimits.DEFAULT, deployment.inferenceHub().toHex())
        .send();
  }

  BigInteger requestThrough(ScriptedConsumer c) throws Exception {
    TransactionReceipt r =
        c.requestAt(
                zkModel.toArray(),
                input().canonicalBytes(),
                BigInteger.valueOf(ZK.code()),
                BigInteger.valueOf(now() + 600),
                Address.ZERO.toHex(),
                BigInteger.valueOf(300_000),
                false,
                FEE)
            .send();
    return InferenceHub.getInferenceRequestedEvents(r).getFirst().requestId;
  }

  @Test
  void aValidQuorumFinalizesAZkmlResultAtOncePayingNodeOwnerAndTheMembersWhoVoted()
      throws Exception {
    BigInteger id = submittedZkRequest(RIGHT);
    Address node = Address.fromHex(onChain(id).node);
    BigInteger caseId = caseOf(id);
    assertThat(state(caseId)).isEqualTo(AWAITING_DRAW);
    draw(caseId);
    List<Address> members = committee(caseId);
    assertThat(members).hasSize(3).doesNotContain(node);

    vote(members.get(0), caseId, true);
    assertThat(hub(stranger).statusOf(id).send())
        .as("one vote is no quorum")
        .isEqualTo(BigInteger.TWO);
    vote(members.get(1), caseId, true);

    assertThat(hub(stranger).statusOf(id).send()).isEqualTo(BigInteger.valueOf(3)); // Finalized
    assertThat(state(caseId)).isEqualTo(VALID);
    assertThat(hubPaid(node, PAY_NODE_FEE)).isEqualTo(NODE_PRICE);
    assertThat(hubPaid(modelOwner.address(), PAY_MODEL_FEE)).isEqualTo(MODEL_FEE);
    assertThat(hubPaid(members.get(0), PAY_VERIFICATION_FEE)).isEqualTo(VERDICT_FEE);
    assertThat(hubPaid(members.get(1), PAY_VERIFICATION_FEE)).isEqualTo(VERDICT_FEE);
    assertThat(hubPaid(members.get(2), PAY_VERIFICATION_FEE))
        .as("a member who had not voted is not paid")
        .isZero();
    assertThat(hubPaid(requester.address(), PAY_REFUND))
        .isEqualTo(
            FEE.subtract(NODE_PRICE)
                .subtract(MODEL_FEE)
                .subtract(VERDICT_FEE.multiply(BigInteger.TWO)));
    assertThat(hub(stranger).totalEscrowed().send()).isZero();
  }

  @Test
  void aZkmlResultHasNoTimeAtWhichItFinalizesByItself() throws Exception {
    BigInteger id = requestOn(zkModel, ZK);
    TransactionReceipt r = submitOn(id, zkModel, ZK, RIGHT);
    assertThat(InferenceHub.getResultSubmittedEvents(r).getFirst().finalizableAt)
        .isEqualTo(BigInteger.valueOf(Long.MAX_VALUE));
    passChallengeWindow();

    assertReverts("VerificationPending", () -> hub(stranger).finalize(id).send());
  }

  @Test
  void theRequestersFeeMustAlsoCoverTheCommittee() throws Exception {
    BigInteger enoughWithoutCourt = MODEL_FEE.add(NODE_PRICE);
    var e =
        assertReverts("FeeTooLow", () -> requestOn(zkModel, ZK, enoughWithoutCourt, Address.ZERO));
    assertThat(e.argument("required")).isEqualTo(enoughWithoutCourt.add(VERIFICATION_FEE));

    BigInteger id = requestOn(zkModel, ZK, enoughWithoutCourt.add(VERIFICATION_FEE), Address.ZERO);
    assertThat(onChain(id).viaCourt).isTrue();
  }

  @Test
  void theCommitteeIsDrawnFromTheHashOfABlockAfterTheSubmission() throws Exception {
    BigInteger id = requestOn(zkModel, ZK);
    TransactionReceipt submitted = submitOn(id, zkModel, ZK, RIGHT);
    long n = submitted.getBlockNumber().longValueExact();
    BigInteger caseId = caseOf(id);
    String data = court(stranger).draw(caseId).encodeFunctionCall();

    // In the submission's own block nobody can know the seed: the draw reverts there ...
    var inSubmissionBlock =
        assertReverts(
            "SeedNotReady",
            () ->
                stranger.sendCall(
                    deployment.verificationCourt().toHex(),
                    data,
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(n))));
    assertThat(inSubmissionBlock.argument("seedBlock")).isEqualTo(BigInteger.valueOf(n + 1));
    // ... and in the next block, whose hash is the seed
    var inNextBlock = assertReverts("SeedNotReady", () -> court(stranger).draw(caseId).send());
    assertThat(inNextBlock.transactionHash()).isPresent();
    TransactionReceipt drawn = court(stranger).draw(caseId).send();

    assertThat(drawn.getBlockNumber().longValueExact()).isEqualTo(n + 2);
    assertThat(committee(caseId))
        .containsExactlyElementsOf(
            expectedCommittee(blockHash(n + 1), caseId, 0, Address.fromHex(onChain(id).node)));
    VerificationCourt.CommitteeDrawnEventResponse event =
        VerificationCourt.getCommitteeDrawnEvents(drawn).getFirst();
    assertThat(event.members).hasSize(3);
    assertThat(event.deadline.longValueExact()).isEqualTo(now() + COURT.verdictWindowSeconds());
  }

  @Test
  void theExecutingNodeIsNeverOnItsOwnCommitteeEvenWithMostOfTheValidatorStake() throws Exception {
    // a node in both roles with 100 ETH against the four validators' 8 ETH: its draw weight is
    // the cap (drawWeightCap), as much as any of them
    Secp256k1.KeyPair k = freshKey("both-roles");
    TransactionSender both = TransactionSender.create(anvil.web3j(), k);
    nodes(both)
        .register(
            BigInteger.valueOf(3),
            "http://both",
            ALL_LEVELS,
            NODE_PRICE,
            List.of(zkModel.toArray()),
            ETH.multiply(BigInteger.valueOf(100)))
        .send();
    assertThat(nodes(stranger).validatorRange(both.address().toHex()).send().component2())
        .as("stake above the cap adds no draw weight")
        .isEqualTo(drawWeightCap());
    int wouldHaveBeenDrawn = 0;
    for (int i = 0; i < 6; i++) {
      BigInteger id = requestOn(zkModel, ZK, FEE, both.address());
      assertThat(assignedNode(id)).isEqualTo(both.address());
      TransactionReceipt submitted = submitAs(both, id, zkModel, ZK, RIGHT);
      BigInteger caseId = caseOf(id);
      draw(caseId);

      Bytes32 seed = blockHash(submitted.getBlockNumber().longValueExact() + 1);
      assertThat(committee(caseId))
          .as("a full committee of the others, however much stake it holds")
          .hasSize(3)
          .doesNotContain(both.address())
          .containsExactlyElementsOf(expectedCommittee(seed, caseId, 0, both.address()));
      if (expectedCommittee(seed, caseId, 0, List.of()).contains(both.address())) {
        wouldHaveBeenDrawn++;
      }
    }
    assertThat(wouldHaveBeenDrawn).as("without the exclusion it would have sat").isPositive();
  }

  @Test
  void anInvalidQuorumSlashesTheNodeAndSendsTheWholeEscrowToAnotherNode() throws Exception {
    BigInteger id = submittedZkRequest(WRONG);
    Address cheat = assignedNode(id);
    BigInteger stakeBefore = nodes(stranger).stakeOf(cheat.toHex()).send();
    BigInteger caseId = caseOf(id);
    draw(caseId);
    List<Address> members = committee(caseId);

    votes(caseId, 2, false);

    assertThat(state(caseId)).isEqualTo(INVALID);
    assertThat(nodes(stranger).stakeOf(cheat.toHex()).send())
        .isEqualTo(stakeBefore.subtract(COURT.slashWei()));
    InferenceHub.Request r = onChain(id);
    assertThat(r.status).isEqualTo(BigInteger.ONE); // Assigned again
    assertThat(Address.fromHex(r.node)).isNotEqualTo(cheat).isIn(node1.address(), node2.address());
    assertThat(r.attempts).isEqualTo(BigInteger.TWO);
    assertThat(hub(stranger).totalEscrowed().send())
        .as("the requester's escrow is whole")
        .isEqualTo(FEE);
    assertThat(hubPaid(requester.address(), PAY_REFUND)).isZero();
    BigInteger half = COURT.slashWei().divide(BigInteger.TWO);
    assertThat(courtPaid(members.get(0))).isEqualTo(half);
    assertThat(courtPaid(members.get(1))).isEqualTo(half);
    assertThat(courtPaid(members.get(2))).as("it had not voted").isZero();
  }

  @Test
  void theNextNodesResultIsJudgedAsANewCase() throws Exception {
    BigInteger id = submittedZkRequest(WRONG);
    BigInteger firstCase = caseOf(id);
    draw(firstCase);
    votes(firstCase, 2, false);

    submitOn(id, zkModel, ZK, RIGHT);
    BigInteger secondCase = caseOf(id);
    assertThat(secondCase).isEqualTo(firstCase.add(BigInteger.ONE)); // requestId << 8 | attempt
    assertThat(court(stranger).caseIdOf(id, BigInteger.TWO).send()).isEqualTo(secondCase);
    draw(secondCase);
    votes(secondCase, 2, true);

    assertThat(hub(stranger).statusOf(id).send()).isEqualTo(BigInteger.valueOf(3));
    assertThat(hubPaid(assignedNode(id), PAY_NODE_FEE)).isEqualTo(NODE_PRICE);
  }

  @Test
  void anInvalidQuorumOnTheLastAttemptRefundsTheWholeFeeWithAnErrorCallback() throws Exception {
    ScriptedConsumer c = consumer();
    BigInteger id = requestThrough(c);
    for (int attempt = 1; attempt <= PARAMETERS.maxAttempts(); attempt++) {
      submitOn(id, zkModel, ZK, WRONG);
      BigInteger caseId = caseOf(id);
      draw(caseId);
      votes(caseId, 2, false);
    }

    assertThat(hub(stranger).statusOf(id).send()).isEqualTo(BigInteger.valueOf(4)); // Refunded
    assertThat(c.errorCalls().send()).isEqualTo(BigInteger.ONE);
    assertThat(c.lastError().send()).contains("invalid");
    assertThat(balanceOf(Address.fromHex(c.getContractAddress()))).isEqualTo(FEE);
    assertThat(nodes(stranger).stakeOf(node1.address().toHex()).send())
        .isEqualTo(ETH.multiply(BigInteger.TWO).subtract(COURT.slashWei()));
    assertThat(nodes(stranger).stakeOf(node2.address().toHex()).send())
        .isEqualTo(ETH.multiply(BigInteger.TWO).subtract(COURT.slashWei()));
  }

  @Test
  void aMemberWhoVotedAgainstTheQuorumLosesStakeToThoseWhoVotedWithIt() throws Exception {
    BigInteger id = submittedZkRequest(RIGHT);
    BigInteger caseId = caseOf(id);
    draw(caseId);
    List<Address> members = committee(caseId);

    vote(members.get(0), caseId, false); // contradicted by the two after it
    vote(members.get(1), caseId, true);
    vote(members.get(2), caseId, true);

    assertThat(state(caseId)).isEqualTo(VALID);
    assertThat(nodes(stranger).stakeOf(members.get(0).toHex()).send())
        .isEqualTo(VALIDATOR_STAKE.subtract(COURT.dissentSlashWei()));
    BigInteger half = COURT.dissentSlashWei().divide(BigInteger.TWO);
    assertThat(courtPaid(members.get(1))).isEqualTo(half);
    assertThat(courtPaid(members.get(2))).isEqualTo(half);
    assertThat(hubPaid(members.get(0), PAY_VERIFICATION_FEE)).isZero();
    assertThat(hubPaid(members.get(1), PAY_VERIFICATION_FEE)).isEqualTo(VERDICT_FEE);
  }

  @Test
  void aCommitteeWithoutQuorumIsRedrawnWithoutItsSilentMembersThenTheRequestIsRefunded()
      throws Exception {
    ScriptedConsumer c = consumer();
    BigInteger id = requestThrough(c);
    submitOn(id, zkModel, ZK, RIGHT);
    BigInteger caseId = caseOf(id);
    draw(caseId);
    List<Address> first = committee(caseId);
    vote(first.get(0), caseId, true); // one of three: no quorum
    assertReverts("VotingOpen", () -> court(stranger).expire(caseId, committeeArg(caseId)).send());
    anvil.increaseTime(COURT.verdictWindowSeconds() + 1);
    anvil.mine();
    assertReverts("VotingClosed", () -> vote(first.get(1), caseId, true));

    court(stranger).expire(caseId, committeeArg(caseId)).send();
    assertThat(state(caseId)).isEqualTo(AWAITING_DRAW);
    assertThat(round(caseId)).isEqualTo(1);
    draw(caseId);
    List<Address> second = committee(caseId);
    assertThat(second).isNotEmpty().doesNotContain(first.get(1), first.get(2));
    anvil.increaseTime(COURT.verdictWindowSeconds() + 1);
    anvil.mine();
    court(stranger).expire(caseId, committeeArg(caseId)).send();

    assertThat(state(caseId)).isEqualTo(RELEASED);
    assertThat(hub(stranger).statusOf(id).send()).isEqualTo(BigInteger.valueOf(4)); // Refunded
    assertThat(c.errorCalls().send()).isEqualTo(BigInteger.ONE);
    assertThat(c.lastError().send()).contains("quorum");
    assertThat(balanceOf(Address.fromHex(c.getContractAddress()))).isEqualTo(FEE);
    assertThat(hubPaid(first.get(0), PAY_VERIFICATION_FEE)).as("no quorum, no fee").isZero();
    assertThat(hub(stranger).totalEscrowed().send()).isZero();
  }

  @Test
  void aRedrawThatLeavesFewerMembersThanAQuorumReleasesTheCaseInsteadOfLettingOneDecide()
      throws Exception {
    ScriptedConsumer c = consumer();
    BigInteger id = requestThrough(c);
    submitOn(id, zkModel, ZK, RIGHT);
    BigInteger caseId = caseOf(id);
    draw(caseId);
    List<Address> first = committee(caseId);
    assertThat(first).hasSize(3);
    anvil.increaseTime(COURT.verdictWindowSeconds() + 1); // all three stay silent
    anvil.mine();
    court(stranger).expire(caseId, committeeArg(caseId)).send();
    assertThat(state(caseId)).isEqualTo(AWAITING_DRAW);

    // four validators, three silent and left out: one could be drawn, and alone it would hold
    // 100 % of its committee's stake
    draw(caseId);

    assertThat(state(caseId)).isEqualTo(RELEASED);
    assertThat(hub(stranger).statusOf(id).send()).isEqualTo(BigInteger.valueOf(4)); // Refunded
    assertThat(c.lastError().send()).contains("too few validators");
    assertThat(balanceOf(Address.fromHex(c.getContractAddress()))).isEqualTo(FEE);
    assertThat(hub(stranger).totalEscrowed().send()).isZero();
  }

  @Test
  void aSeedOlderThan256BlocksReArmsTheDrawOnANewBlock() throws Exception {
    BigInteger id = submittedZkRequest(RIGHT);
    BigInteger caseId = caseOf(id);
    anvil.mine(300);

    TransactionReceipt rearmed = court(stranger).draw(caseId).send();

    var event = VerificationCourt.getSeedRearmedEvents(rearmed).getFirst();
    assertThat(event.seedBlock.longValueExact())
        .isEqualTo(rearmed.getBlockNumber().longValueExact() + 1);
    assertThat(state(caseId)).isEqualTo(AWAITING_DRAW);
    TransactionReceipt drawn = draw(caseId);
    assertThat(state(caseId)).isEqualTo(VOTING);
    assertThat(committee(caseId))
        .containsExactlyElementsOf(
            expectedCommittee(
                blockHash(event.seedBlock.longValueExact()),
                caseId,
                0,
                Address.fromHex(onChain(id).node)));
    assertThat(drawn.getBlockNumber().longValueExact())
        .isGreaterThan(event.seedBlock.longValueExact());
  }

  @Test
  void aRequestMadeWhileTheCourtIsOutOfSessionWaitsOutTheWindowAsBefore() throws Exception {
    // three validators left of the four the court needs to sit
    Address leaving = validators.keySet().iterator().next();
    nodes(validator(leaving)).requestUnbond().send();
    assertThat(court(stranger).inSession().send()).isFalse();

    BigInteger id = requestOn(zkModel, ZK, MODEL_FEE.add(NODE_PRICE), Address.ZERO);
    assertThat(onChain(id).viaCourt).isFalse();
    TransactionReceipt r = submitOn(id, zkModel, ZK, RIGHT);
    assertThat(InferenceHub.getResultSubmittedEvents(r).getFirst().finalizableAt.longValueExact())
        .isEqualTo(now() + CHALLENGE_WINDOW);
    passChallengeWindow();
    hub(stranger).finalize(id).send();

    assertThat(hub(stranger).statusOf(id).send()).isEqualTo(BigInteger.valueOf(3));
    assertThat(state(caseOf(id))).as("no case was opened").isZero();
  }
}
