package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.chain.court.CourtClient;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Verdict;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Enclave keys become active only on a committee's approval: registering opens a KeyApproval case
 * in the court (paid by the node), drawn like any case; a VALID quorum activates the key and
 * records the block, an INVALID one rejects it for good and slashes the node, no quorum leaves it
 * inactive. The test validators vote without reading the (stand-in) documents; node's {@code
 * KeyApprovalTest} has real validators judge real documents. Both books are checked after each test
 * (DevChainTest), with the key approval fees in the court's.
 */
class KeyApprovalCourtTest extends TeeChainTest {
  static final int PENDING = 1;
  static final int APPROVED = 2;
  static final int REJECTED = 3;
  static final int NOT_APPROVED = 4;
  static final int KIND_KEY_APPROVAL = 3;

  NodeRegistry.EnclaveKey info(Secp256k1.KeyPair key) throws Exception {
    return nodes(stranger).enclaveKeyInfo(key.address().toHex()).send();
  }

  VerificationCourt court(TransactionSender s) {
    return deployment.verificationCourt(s);
  }

  @Test
  void aRegisteredKeyIsPendingAndATeeResultSignedWithItIsRefusedUntilACommitteeApprovesIt()
      throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    TransactionReceipt registered = registerPendingKey(node1, key);
    BigInteger caseId = approvalCaseOf(registered);

    assertThat(info(key).status.intValueExact()).isEqualTo(PENDING);
    assertThat(isActive(node1, key)).isFalse();
    BigInteger early = requestTee(node1);
    assertReverts("InactiveEnclaveKey", () -> submitTee(node1, early, logits(1f), key));

    List<TransactionReceipt> moves = decideKey(caseId, true);

    NodeRegistry.EnclaveKey approved = info(key);
    assertThat(approved.status.intValueExact()).isEqualTo(APPROVED);
    assertThat(approved.approvedAtBlock).isEqualTo(moves.getLast().getBlockNumber());
    assertThat(isActive(node1, key)).isTrue();
    BigInteger id = requestTee(node1);
    submitTee(node1, id, logits(1f), key);
    assertThat(hub(stranger).statusOf(id).send().intValueExact()).as("Finalized").isEqualTo(3);
  }

  @Test
  void theCommitteeIsPaidFromTheRegistrationFeeAndTheRestGoesBackToTheNode() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    BigInteger fee = keyApprovalFee();
    assertThat(fee).isEqualTo(PARAMETERS.court().verificationFeeWei());
    BigInteger caseId = approvalCaseOf(registerPendingKey(node1, key));
    assertThat(court(stranger).totalKeyFees().send()).isEqualTo(fee);

    List<TransactionReceipt> moves = decideKey(caseId, true);

    var paid = VerificationCourt.getPaidEvents(moves.getLast());
    assertThat(paid)
        .filteredOn(p -> p.kind.intValueExact() == 6) // KeyApprovalFee
        .hasSize(2)
        .allMatch(p -> p.amount.equals(PARAMETERS.court().verdictFeeWei()));
    assertThat(paid)
        .filteredOn(p -> p.kind.intValueExact() == 7) // KeyFeeRefund
        .singleElement()
        .satisfies(p -> assertThat(p.to).isEqualToIgnoringCase(node1.address().toHex()))
        .satisfies(p -> assertThat(p.amount).isEqualTo(PARAMETERS.court().verdictFeeWei()));
    assertThat(court(stranger).totalKeyFees().send()).isZero();
  }

  @Test
  void anInvalidQuorumRejectsTheKeyForGoodAndSlashesTheNode() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    BigInteger stakeBefore = nodes(stranger).stakeOf(node1.address().toHex()).send();
    BigInteger caseId = approvalCaseOf(registerPendingKey(node1, key));

    List<TransactionReceipt> moves = decideKey(caseId, false);

    assertThat(info(key).status.intValueExact()).isEqualTo(REJECTED);
    assertThat(isActive(node1, key)).isFalse();
    BigInteger slash = PARAMETERS.court().slashWei();
    assertThat(nodes(stranger).stakeOf(node1.address().toHex()).send())
        .isEqualTo(stakeBefore.subtract(slash));
    assertThat(VerificationCourt.getStakeSlashedEvents(moves.getLast()))
        .singleElement()
        .satisfies(e -> assertThat(e.amount).isEqualTo(slash));
    BigInteger shared =
        VerificationCourt.getPaidEvents(moves.getLast()).stream()
            .filter(p -> p.kind.intValueExact() == 0) // SlashReward
            .map(p -> p.amount)
            .reduce(BigInteger.ZERO, BigInteger::add);
    assertThat(shared).as("the slash shared by the members who voted INVALID").isEqualTo(slash);
    assertReverts("EnclaveKeyIsRejected", () -> registerPendingKey(node1, key));
    BigInteger id = requestTee(node1);
    assertReverts("InactiveEnclaveKey", () -> submitTee(node1, id, logits(1f), key));
  }

  @Test
  void withoutAQuorumTheKeyStaysInactiveTheFeeComesBackAndTheNodeMayRegisterAgain()
      throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    BigInteger caseId = approvalCaseOf(registerPendingKey(node1, key));
    VerificationCourt keeper = court(stranger);
    anvil.mine();
    keeper.draw(caseId).send();
    anvil.increaseTime(PARAMETERS.court().verdictWindowSeconds() + 1);
    anvil.mine();
    keeper
        .expire(caseId, committeeArg(caseId))
        .send(); // round 0 silent: redraw without its members
    anvil.mine();
    keeper.draw(caseId).send(); // nobody left to draw: released

    assertThat(keeper.getCase(caseId).send().state.intValueExact()).as("Released").isEqualTo(7);
    assertThat(info(key).status.intValueExact()).isEqualTo(NOT_APPROVED);
    assertThat(isActive(node1, key)).isFalse();
    assertThat(keeper.totalKeyFees().send()).isZero();

    decideKey(approvalCaseOf(registerPendingKey(node1, key)), true);
    assertThat(isActive(node1, key)).isTrue();
  }

  @Test
  void keyCasesHaveTheirOwnIdSpaceAndNeverSeatTheRegisteringNode() throws Exception {
    BigInteger first = approvalCaseOf(registerPendingKey(node1, enclaveKey(1)));
    BigInteger second = approvalCaseOf(registerPendingKey(node2, enclaveKey(2)));

    assertThat(CourtClient.isKeyCase(first)).isTrue();
    assertThat(second).isNotEqualTo(first);
    assertThat(first.bitLength()).isEqualTo(256);
    assertThat(CourtClient.isKeyCase(Verdict.caseIdOf(BigInteger.ONE.shiftLeft(64), 255)))
        .as("no request case, with a 64-bit request id")
        .isFalse();
    var c = court(stranger).getCase(first).send();
    assertThat(c.kind.intValueExact()).isEqualTo(KIND_KEY_APPROVAL);
    assertThat(c.node).isEqualToIgnoringCase(node1.address().toHex());
    assertThat(court(stranger).enclaveKeyOf(first).send())
        .isEqualToIgnoringCase(enclaveKey(1).address().toHex());
    anvil.mine();
    court(stranger).draw(first).send();
    assertThat(committeeArg(first).members)
        .hasSize(3)
        .noneMatch(m -> m.equalsIgnoreCase(node1.address().toHex()));
  }

  @Test
  void aSignedApprovalOfOneKeyIsRefusedForAnotherKeysCase() throws Exception {
    Secp256k1.KeyPair a = enclaveKey(1);
    Secp256k1.KeyPair b = enclaveKey(2);
    BigInteger caseA = approvalCaseOf(registerPendingKey(node1, a));
    BigInteger caseB = approvalCaseOf(registerPendingKey(node1, b));
    anvil.mine();
    court(stranger).draw(caseA).send();
    court(stranger).draw(caseB).send();
    // every test validator sits on both committees (3 of 3)
    Secp256k1.KeyPair member = keyValidators.getFirst();
    Verdict forA =
        new Verdict(
            caseA,
            caseA.shiftRight(8),
            CourtClient.keySubject(a.address()),
            Keccak.hash(documentFor(a)),
            true,
            0);
    var signature = forA.sign(deployment.courtDomain(), member).toArray();

    // A's signature replayed on B's case and subject recovers another signer
    Verdict replayed =
        new Verdict(
            caseB,
            caseB.shiftRight(8),
            CourtClient.keySubject(b.address()),
            Keccak.hash(documentFor(b)),
            true,
            0);
    assertReverts(
        "NotOnCommittee",
        () ->
            court(stranger)
                .submitVerdict(onChain(replayed), signature, committeeArg(replayed.caseId()))
                .send());
    // a member's own verdict on B's case that names A's key and document does not count for B
    Verdict aboutAOnB =
        new Verdict(caseB, caseB.shiftRight(8), forA.outputHash(), forA.evidenceHash(), true, 0);
    var signedOnB = aboutAOnB.sign(deployment.courtDomain(), member).toArray();
    assertReverts(
        "VerdictSubjectMismatch",
        () ->
            court(stranger)
                .submitVerdict(onChain(aboutAOnB), signedOnB, committeeArg(aboutAOnB.caseId()))
                .send());

    court(stranger).submitVerdict(onChain(forA), signature, committeeArg(forA.caseId())).send();
    assertThat(info(b).status.intValueExact()).isEqualTo(PENDING);
    assertThat(court(stranger).getCase(caseB).send().votedMask).isEqualTo(BigInteger.ZERO);
  }

  @Test
  void aRenewalIsPendingAgainAndTheOutcomeOfItsEarlierCaseChangesNothing() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    BigInteger firstCase = approvalCaseOf(registerPendingKey(node1, key));
    anvil.increaseTime(60);
    anvil.mine();
    long now = now();
    BigInteger renewal =
        approvalCaseOf(
            registerPendingKey(
                node1,
                key.address(),
                MEASUREMENT,
                now,
                now + 7_200,
                documentFor(key),
                keyProof(node1, key)));

    decideKey(firstCase, true);
    assertThat(info(key).status.intValueExact()).as("still pending").isEqualTo(PENDING);
    assertThat(isActive(node1, key)).isFalse();

    decideKey(renewal, true);
    assertThat(info(key).status.intValueExact()).isEqualTo(APPROVED);
    assertThat(info(key).expiry.longValueExact()).isEqualTo(now + 7_200);
  }

  @Test
  void onlyTheCourtRecordsAnApprovalAndOnlyTheRegistryOpensAKeyCase() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    BigInteger caseId = approvalCaseOf(registerPendingKey(node1, key));

    assertReverts(
        "NotCourt",
        () -> nodes(node1).recordKeyApproval(key.address().toHex(), caseId, BigInteger.TWO).send());
    assertReverts(
        "NotRegistry",
        () ->
            court(node1)
                .openKeyApproval(
                    node1.address().toHex(), key.address().toHex(), new byte[32], keyApprovalFee())
                .send());
    assertThat(info(key).status.intValueExact()).isEqualTo(PENDING);
  }

  @Test
  void aRegistrationWithoutTheExactApprovalFeeIsRefused() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    long now = now();
    byte[] doc = documentFor(key);
    var e =
        assertReverts(
            "WrongApprovalFee",
            () ->
                nodes(node1)
                    .registerEnclaveKey(
                        key.address().toHex(),
                        MEASUREMENT,
                        Keccak.hash(doc).toArray(),
                        BigInteger.valueOf(now),
                        BigInteger.valueOf(now + 3_600),
                        doc,
                        keyProof(node1, key),
                        BigInteger.ZERO)
                    .send());
    assertThat(e.argument("required")).isEqualTo(keyApprovalFee());
    assertThat(Address.fromHex(info(key).node)).isEqualTo(Address.ZERO);
  }

  static VerificationCourt.Verdict onChain(Verdict v) {
    return new VerificationCourt.Verdict(
        v.caseId(),
        v.requestId(),
        v.outputHash().toArray(),
        v.evidenceHash().toArray(),
        v.valid(),
        BigInteger.valueOf(v.round()));
  }
}
