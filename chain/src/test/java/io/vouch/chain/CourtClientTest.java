package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.court.CourtCase;
import io.vouch.chain.court.CourtClient;
import io.vouch.chain.court.CourtEvent;
import io.vouch.core.Address;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Verdict;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The typed court client that validators and keepers use: cases and events in core types, keeper
 * moves that are no-ops when there is nothing to do, and verdict outcomes instead of reverts.
 */
class CourtClientTest extends CourtChainTest {
  static final Tensor OUTPUT = logits(1f, 2f, 3f);

  CourtClient client(Address validator) {
    return new CourtClient(validator(validator), deployment);
  }

  CourtClient keeper() {
    return new CourtClient(stranger, deployment);
  }

  @Test
  void aZkmlCaseReadsAsTypedDataFromOpeningToDecision() throws Exception {
    BigInteger id = requestOn(zkModel, VerificationLevel.ZKML);
    long from = blockNumber();
    submitOn(id, zkModel, VerificationLevel.ZKML, OUTPUT);
    BigInteger caseId = caseOf(id);
    CourtClient k = keeper();

    CourtCase opened = k.getCase(caseId);
    assertThat(opened.state()).isEqualTo(CourtCase.State.AWAITING_DRAW);
    assertThat(opened.kind()).isEqualTo(CourtCase.Kind.ZKML);
    assertThat(opened.requestId()).isEqualTo(id);
    assertThat(opened.node()).isEqualTo(assignedNode(id));
    assertThat(opened.committee()).isEmpty();
    assertThat(k.drawIfDue(caseId)).as("the seed block is not mined yet").isFalse();

    anvil.mine();
    assertThat(k.drawIfDue(caseId)).isTrue();
    assertThat(k.drawIfDue(caseId)).as("drawn already: a no-op").isFalse();
    CourtCase voting = k.getCase(caseId);
    assertThat(voting.state()).isEqualTo(CourtCase.State.VOTING);
    assertThat(voting.members()).containsExactlyElementsOf(committee(caseId));
    assertThat(voting.committee()).allMatch(s -> s.stake().equals(VALIDATOR_STAKE) && !s.voted());
    assertThat(k.expireIfDue(caseId)).as("the round is open").isFalse();

    List<CourtEvent> events = k.events(from, blockNumber());
    assertThat(events)
        .filteredOn(e -> e instanceof CourtEvent.CaseOpened)
        .singleElement()
        .satisfies(e -> assertThat(((CourtEvent.CaseOpened) e).requestId()).isEqualTo(id));
    assertThat(events)
        .filteredOn(e -> e instanceof CourtEvent.CommitteeDrawn)
        .singleElement()
        .satisfies(e ->
            assertThat(((CourtEvent.CommitteeDrawn) e).members())
                .containsExactlyElementsOf(voting.members()));

    Address m0 = voting.members().get(0);
    assertThat(client(m0).vote(caseId, 0, true)).isEqualTo(CourtClient.VerdictOutcome.COUNTED);
    assertThat(client(m0).vote(caseId, 0, true))
        .isEqualTo(CourtClient.VerdictOutcome.ALREADY_COUNTED);
    Address m1 = voting.members().get(1);
    Verdict v = new Verdict(caseId, id, OUTPUT.hash(), EVIDENCE, true, 0);
    assertThat(keeper().submitVerdict(v, v.sign(k.domain(), validators.get(m1))))
        .isEqualTo(CourtClient.VerdictOutcome.COUNTED);

    CourtCase decided = k.getCase(caseId);
    assertThat(decided.state()).isEqualTo(CourtCase.State.VALID);
    assertThat(decided.state().closed()).isTrue();
    assertThat(decided.seatOf(m0).orElseThrow().votedValid()).isTrue();
    Address m2 = voting.members().get(2);
    assertThat(client(m2).vote(caseId, 0, true)).isEqualTo(CourtClient.VerdictOutcome.TOO_LATE);
  }

  @Test
  void aVerdictFromOutsideTheCommitteeIsReportedAsSuch() throws Exception {
    BigInteger id = requestOn(zkModel, VerificationLevel.ZKML);
    submitOn(id, zkModel, VerificationLevel.ZKML, OUTPUT);
    BigInteger caseId = caseOf(id);
    anvil.mine();
    keeper().drawIfDue(caseId);
    List<Address> members = committee(caseId);
    Address outsider =
        validators.keySet().stream().filter(a -> !members.contains(a)).findFirst().orElseThrow();

    assertThat(client(outsider).vote(caseId, 0, true))
        .isEqualTo(CourtClient.VerdictOutcome.NOT_ON_COMMITTEE);
    Secp256k1.KeyPair notAValidator =
        Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("not a validator"));
    Verdict v = new Verdict(caseId, id, OUTPUT.hash(), EVIDENCE, false, 0);
    assertThat(keeper().submitVerdict(v, v.sign(keeper().domain(), notAValidator)))
        .isEqualTo(CourtClient.VerdictOutcome.NOT_ON_COMMITTEE);
    Verdict otherOutput = new Verdict(caseId, id, Keccak.hash("other"), EVIDENCE, true, 0);
    assertThat(
            keeper()
                .submitVerdict(
                    otherOutput,
                    otherOutput.sign(keeper().domain(), validators.get(members.get(0)))))
        .isEqualTo(CourtClient.VerdictOutcome.WRONG_SUBJECT);
  }

  @Test
  void aRoundPastItsDeadlineIsExpiredByAKeeper() throws Exception {
    BigInteger id = requestOn(zkModel, VerificationLevel.ZKML);
    submitOn(id, zkModel, VerificationLevel.ZKML, OUTPUT);
    BigInteger caseId = caseOf(id);
    anvil.mine();
    keeper().drawIfDue(caseId);
    anvil.increaseTime(COURT.verdictWindowSeconds() + 1);
    anvil.mine();

    assertThat(keeper().expireIfDue(caseId)).isTrue();

    CourtCase c = keeper().getCase(caseId);
    assertThat(c.state()).isEqualTo(CourtCase.State.AWAITING_DRAW);
    assertThat(c.round()).isEqualTo(1);
  }

  @Test
  void movesSentWithoutWaitingForTheirBlockLandAndTheirOutcomesAreReadFromTheReceipts()
      throws Exception {
    BigInteger id = requestOn(zkModel, VerificationLevel.ZKML);
    submitOn(id, zkModel, VerificationLevel.ZKML, OUTPUT);
    BigInteger caseId = caseOf(id);
    CourtClient k = keeper();
    assertThat(k.sendDrawIfDue(k.getCase(caseId), blockNumber()))
        .as("the seed block is not mined yet")
        .isEmpty();

    anvil.mine();
    String draw = k.sendDrawIfDue(k.getCase(caseId), blockNumber()).orElseThrow();
    stranger.awaitReceipt(draw);
    assertThat(k.getCase(caseId).state()).isEqualTo(CourtCase.State.VOTING);
    assertThat(k.sendDrawIfDue(k.getCase(caseId), blockNumber()))
        .as("drawn already: nothing sent")
        .isEmpty();

    Address m0 = committee(caseId).get(0);
    Verdict v = new Verdict(caseId, id, OUTPUT.hash(), EVIDENCE, true, 0);
    var signature = v.sign(k.domain(), validators.get(m0));
    String first = k.sendVerdict(v, signature);
    String again = k.sendVerdict(v, signature);
    assertThat(outcome(k, first)).isEqualTo(CourtClient.VerdictOutcome.COUNTED);
    assertThat(outcome(k, again)).isEqualTo(CourtClient.VerdictOutcome.ALREADY_COUNTED);
  }

  @Test
  void anExpirySentWithoutWaitingClosesTheRoundPastItsDeadline() throws Exception {
    BigInteger id = requestOn(zkModel, VerificationLevel.ZKML);
    submitOn(id, zkModel, VerificationLevel.ZKML, OUTPUT);
    BigInteger caseId = caseOf(id);
    anvil.mine();
    keeper().drawIfDue(caseId);
    CourtClient k = keeper();
    assertThat(k.sendExpireIfDue(k.getCase(caseId), k.headTime()))
        .as("the round is open")
        .isEmpty();
    anvil.increaseTime(COURT.verdictWindowSeconds() + 1);
    anvil.mine();

    stranger.awaitReceipt(k.sendExpireIfDue(k.getCase(caseId), k.headTime()).orElseThrow());

    CourtCase c = k.getCase(caseId);
    assertThat(c.state()).isEqualTo(CourtCase.State.AWAITING_DRAW);
    assertThat(c.round()).isEqualTo(1);
  }

  /** The outcome of a verdict sent without waiting, once its block is mined. */
  private CourtClient.VerdictOutcome outcome(CourtClient k, String txHash) throws Exception {
    for (int i = 0; i < 100; i++) {
      var o = k.verdictOutcome(txHash);
      if (o.isPresent()) {
        return o.get();
      }
      anvil.mine();
    }
    throw new AssertionError("verdict " + txHash + " not mined");
  }

  @Test
  void aValidatorRegistersOnceWithItsStake() throws Exception {
    Secp256k1.KeyPair k = freshKey("client-registration");
    CourtClient c =
        new CourtClient(io.vouch.chain.tx.TransactionSender.create(anvil.web3j(), k), deployment);
    assertThat(c.isActiveValidator(k.address())).isFalse();

    c.registerValidator("http://validator", VALIDATOR_STAKE);
    c.registerValidator("http://validator", VALIDATOR_STAKE); // a no-op

    assertThat(c.isActiveValidator(k.address())).isTrue();
    assertThat(nodes(stranger).stakeOf(k.address().toHex()).send()).isEqualTo(VALIDATOR_STAKE);
    assertThat(c.inSession()).isTrue();
    assertThat(c.verdictWindowSeconds()).isEqualTo(COURT.verdictWindowSeconds());
  }
}
