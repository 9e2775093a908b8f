package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.Verdict;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * EIP-712 verdicts that anyone relays to the court: a member's signed verdict counts like its own
 * vote; a forged, replayed, cross-chain, cross-contract, off-committee, stale-round, high-s or
 * misdirected verdict is refused.
 */
class SignedVerdictTest extends CourtChainTest {
  static final Tensor OUTPUT = logits(1f, 2f, 3f);
  static final BigInteger SECP256K1_N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  BigInteger id;
  BigInteger caseId;
  List<Address> members;

  @BeforeEach
  void aZkmlResultWithItsCommittee() throws Exception {
    id = requestOn(zkModel, VerificationLevel.ZKML);
    submitOn(id, zkModel, VerificationLevel.ZKML, OUTPUT);
    caseId = caseOf(id);
    draw(caseId);
    members = committee(caseId);
  }

  byte[] sign(Verdict v, Secp256k1.KeyPair key, Eip712Domain domain) {
    return v.sign(domain, key).toArray();
  }

  byte[] sign(Verdict v, Address member) {
    return sign(v, validators.get(member), deployment.courtDomain());
  }

  TransactionReceipt relay(Verdict v, byte[] signature) throws Exception {
    return court(stranger)
        .submitVerdict(onChainVerdict(v), signature, committeeArg(v.caseId()))
        .send();
  }

  Address outsider() {
    return validators.keySet().stream().filter(a -> !members.contains(a)).findFirst().orElseThrow();
  }

  @Test
  void signedVerdictsRelayedByAnyoneReachTheQuorum() throws Exception {
    Verdict v = verdictOn(caseId, OUTPUT, true);

    TransactionReceipt first = relay(v, sign(v, members.get(0)));
    relay(v, sign(v, members.get(1)));

    var cast = VerificationCourt.getVerdictCastEvents(first).getFirst();
    assertThat(Address.fromHex(cast.member)).isEqualTo(members.get(0));
    assertThat(cast.relayed).isTrue();
    assertThat(state(caseId)).isEqualTo(VALID);
    assertThat(hub(stranger).statusOf(id).send()).isEqualTo(BigInteger.valueOf(3));
    assertThat(hubPaid(members.get(1), PAY_VERIFICATION_FEE)).isEqualTo(VERDICT_FEE);
  }

  @Test
  void aForgedVerdictIsRefused() throws Exception {
    // a member signed VALID; the relayer flips it to INVALID: the signature names someone else
    Verdict signed = verdictOn(caseId, OUTPUT, true);
    Verdict forged = verdictOn(caseId, OUTPUT, false);

    assertReverts("NotOnCommittee", () -> relay(forged, sign(signed, members.get(0))));
    // and a signature made up from nothing
    byte[] junk = Keccak.hash("junk").toArray();
    byte[] made = new byte[65];
    System.arraycopy(junk, 0, made, 0, 32);
    made[63] = 1;
    made[64] = 27;
    assertReverts("NotOnCommittee", () -> relay(forged, made));
    assertThat(caseView(caseId).votedMask).isEqualTo(BigInteger.ZERO);
  }

  @Test
  void aReplayedVerdictIsRefused() throws Exception {
    Verdict v = verdictOn(caseId, OUTPUT, true);
    byte[] signature = sign(v, members.get(0));
    relay(v, signature);

    assertReverts("AlreadyVoted", () -> relay(v, signature));
    assertReverts("AlreadyVoted", () -> vote(members.get(0), caseId, false));
    relay(v, sign(v, members.get(1))); // decides the case
    assertReverts("NotVoting", () -> relay(v, signature));
  }

  @Test
  void aVerdictSignedForAnotherChainIsRefused() throws Exception {
    Verdict v = verdictOn(caseId, OUTPUT, true);
    Eip712Domain otherChain =
        Eip712Domain.of(deployment.chainId() + 1, deployment.verificationCourt());

    assertReverts(
        "NotOnCommittee", () -> relay(v, sign(v, validators.get(members.get(0)), otherChain)));
  }

  @Test
  void aVerdictSignedForAnotherContractIsRefused() throws Exception {
    Verdict v = verdictOn(caseId, OUTPUT, true);

    assertReverts(
        "NotOnCommittee",
        () -> relay(v, sign(v, validators.get(members.get(0)), deployment.domain())));
  }

  @Test
  void aVerdictByAValidatorOffTheCommitteeIsRefused() throws Exception {
    Verdict v = verdictOn(caseId, OUTPUT, false);
    Address outsider = outsider();

    var e = assertReverts("NotOnCommittee", () -> relay(v, sign(v, outsider)));
    assertThat(e.argument("signer")).isEqualTo(outsider);
    assertReverts("NotOnCommittee", () -> vote(outsider, caseId, false));
  }

  /**
   * The court stores only a digest of the committee and takes the members from whoever votes: an
   * outsider who writes itself into the list, a member who inflates its own stake to decide alone,
   * or a list with one member dropped, is refused (WrongCommittee) and nothing is counted.
   */
  @Test
  void aCommitteeRewrittenByTheVoterIsRefused() throws Exception {
    VerificationCourt.Committee real = committeeArg(caseId);
    Address outsider = outsider();
    Verdict v = verdictOn(caseId, OUTPUT, false);

    List<String> withOutsider = new java.util.ArrayList<>(real.members);
    withOutsider.set(2, outsider.toHex());
    var seated =
        new VerificationCourt.Committee(real.subject, withOutsider, real.stakes, real.deadline);
    assertReverts(
        "WrongCommittee",
        () -> court(stranger).submitVerdict(onChainVerdict(v), sign(v, outsider), seated).send());
    assertReverts(
        "WrongCommittee",
        () ->
            court(validator(outsider))
                .vote(caseId, BigInteger.valueOf(round(caseId)), false, seated)
                .send());

    // a member's stake inflated so that its vote alone holds the quorum
    List<BigInteger> inflated = new java.util.ArrayList<>(real.stakes);
    inflated.set(0, real.stakes.get(0).multiply(BigInteger.valueOf(100)));
    var heavier =
        new VerificationCourt.Committee(real.subject, real.members, inflated, real.deadline);
    assertReverts(
        "WrongCommittee",
        () ->
            court(validator(members.get(0)))
                .vote(caseId, BigInteger.valueOf(round(caseId)), false, heavier)
                .send());

    // a committee of two: one member dropped, so that one vote is two thirds of it
    var smaller =
        new VerificationCourt.Committee(
            real.subject, real.members.subList(0, 2), real.stakes.subList(0, 2), real.deadline);
    assertReverts(
        "WrongCommittee",
        () ->
            court(validator(members.get(0)))
                .vote(caseId, BigInteger.valueOf(round(caseId)), false, smaller)
                .send());

    // a later deadline, to vote after the round is over
    var later =
        new VerificationCourt.Committee(
            real.subject, real.members, real.stakes, real.deadline.add(BigInteger.valueOf(3600)));
    assertReverts(
        "WrongCommittee",
        () ->
            court(validator(members.get(0)))
                .vote(caseId, BigInteger.valueOf(round(caseId)), false, later)
                .send());

    // nor can an expiry name other members as the silent ones of the round
    assertReverts("WrongCommittee", () -> court(stranger).expire(caseId, seated).send());

    assertThat(caseView(caseId).votedMask).isEqualTo(BigInteger.ZERO);
    assertThat(state(caseId)).isEqualTo(VOTING);
    // the committee as drawn still counts
    relay(v, sign(v, members.get(0)));
    assertThat(caseView(caseId).votedMask).isEqualTo(BigInteger.ONE);
  }

  @Test
  void aVerdictOfAnEarlierRoundIsRefused() throws Exception {
    Verdict roundZero = verdictOn(caseId, OUTPUT, true);
    byte[] signature = sign(roundZero, members.get(0));
    // one member votes (no quorum alone), so that the redraw still seats two: the voter and the
    // fourth validator (a redraw that seated fewer than a quorum's count would release the case)
    vote(members.get(1), caseId, true);
    anvil.increaseTime(COURT.verdictWindowSeconds() + 1);
    anvil.mine();
    court(stranger).expire(caseId, committeeArg(caseId)).send();
    draw(caseId);
    assertThat(round(caseId)).isEqualTo(1);

    var e = assertReverts("StaleRound", () -> relay(roundZero, signature));
    assertThat(e.argument("currentRound")).isEqualTo(BigInteger.ONE);
  }

  @Test
  void aHighSVerdictIsRefused() throws Exception {
    Verdict v = verdictOn(caseId, OUTPUT, true);
    byte[] low = sign(v, members.get(0));
    byte[] high = low.clone();
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(low, 32, 64));
    byte[] flipped = Bytes32.fromUint(SECP256K1_N.subtract(s)).toArray();
    System.arraycopy(flipped, 0, high, 32, 32);
    high[64] = (byte) (low[64] == 27 ? 28 : 27);

    assertReverts("MalleableSignature", () -> relay(v, high));
  }

  @Test
  void aVerdictAboutAnotherOutputOrRequestIsRefused() throws Exception {
    Verdict otherOutput = new Verdict(caseId, id, logits(0f).hash(), EVIDENCE, true, round(caseId));
    Verdict otherEvidence =
        new Verdict(caseId, id, OUTPUT.hash(), Keccak.hash("other proof"), true, round(caseId));
    Verdict otherRequest =
        new Verdict(caseId, id.add(BigInteger.ONE), OUTPUT.hash(), EVIDENCE, true, round(caseId));

    assertReverts(
        "VerdictSubjectMismatch", () -> relay(otherOutput, sign(otherOutput, members.get(0))));
    assertReverts(
        "VerdictSubjectMismatch", () -> relay(otherEvidence, sign(otherEvidence, members.get(0))));
    assertReverts("VerdictMismatch", () -> relay(otherRequest, sign(otherRequest, members.get(0))));
  }
}
