package io.vouch.sdk.onchain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.court.CourtCase;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link OnChainVerification#summary()} tells a user about each way a result is verified. */
class OnChainVerificationTest {
  static final BigInteger ETH = BigInteger.TEN.pow(18);
  static final Address NODE = Address.fromHex("0x00000000000000000000000000000000000000aa");

  static RequestRecord record(RequestRecord.State state, VerificationLevel level, int attempts) {
    return new RequestRecord(
        BigInteger.ONE,
        state,
        Address.ZERO,
        Bytes32.ZERO,
        level,
        NODE,
        100,
        attempts,
        3,
        ETH,
        ETH,
        BigInteger.ZERO,
        Bytes32.ZERO,
        Bytes32.ZERO,
        0,
        false,
        50,
        List.of());
  }

  static CourtCase zkml(int attempt, CourtCase.State state, boolean... votes) {
    List<CourtCase.Seat> seats =
        List.of(
            new CourtCase.Seat(member(1), ETH, votes.length > 0, votes.length > 0 && votes[0]),
            new CourtCase.Seat(member(2), ETH, votes.length > 1, votes.length > 1 && votes[1]),
            new CourtCase.Seat(member(3), ETH, votes.length > 2, votes.length > 2 && votes[2]));
    return new CourtCase(
        BigInteger.valueOf(256 + attempt),
        BigInteger.ONE,
        attempt,
        NODE,
        CourtCase.Kind.ZKML,
        state,
        0,
        false,
        false,
        10,
        0,
        200,
        seats,
        BigInteger.ZERO,
        BigInteger.ZERO,
        ETH.multiply(BigInteger.valueOf(3)),
        6_666,
        Address.ZERO,
        BigInteger.ZERO,
        seats.isEmpty() ? null : io.vouch.core.Bytes32.ZERO);
  }

  static Address member(int i) {
    return Address.fromHex(String.format("0x%040x", i));
  }

  @Test
  void aZkmlResultDecidedByTwoOfThreeSaysSoWithTheQuorum() {
    OnChainVerification v =
        OnChainVerification.of(
            record(RequestRecord.State.FINALIZED, VerificationLevel.ZKML, 1),
            List.of(zkml(1, CourtCase.State.VALID, true, true)));

    assertThat(v.routed()).isTrue();
    assertThat(v.decidedByQuorum()).isTrue();
    assertThat(v.summary())
        .isEqualTo(
            "ZKML proof: verified VALID by 2/3 of the committee (quorum 66.66 % of committee stake"
                + " reached, round 1): final");
  }

  @Test
  void aRequestMadeWithoutACourtInSessionSaysNobodyOnChainCheckedIt() {
    OnChainVerification v =
        OnChainVerification.of(
            record(RequestRecord.State.FINALIZED, VerificationLevel.VANILLA, 1), List.of());

    assertThat(v.routed()).isFalse();
    assertThat(v.decidedByQuorum()).isFalse();
    assertThat(v.summary())
        .contains("not routed through the VerificationCourt")
        .contains("nobody on chain checked the result")
        .contains("challenge window passed");
  }

  @Test
  void aResultSettledInItsOwnSubmissionSaysTheHubCheckedTheEnclaveKey() {
    RequestRecord r = record(RequestRecord.State.FINALIZED, VerificationLevel.TEE, 1);
    RequestRecord settledAtOnce =
        new RequestRecord(
            r.requestId(),
            r.state(),
            r.requester(),
            r.modelId(),
            r.level(),
            r.node(),
            r.deadline(),
            r.attempts(),
            r.maxAttempts(),
            r.maxFeeWei(),
            r.nodePriceWei(),
            r.modelFeeWei(),
            r.inputHash(),
            r.outputHash(),
            r.finalizableAt(),
            r.fastDelivery(),
            r.chainTime(),
            List.of(
                new RequestRecord.Event("submitted", 5, "0x05", ""),
                new RequestRecord.Event("finalized", 5, "0x05", "")));

    assertThat(OnChainVerification.of(settledAtOnce, List.of()).summary())
        .startsWith("settled at submission")
        .contains("committee-approved enclave key")
        .doesNotContain("nobody on chain");
    Address key = Address.fromHex("0x00000000000000000000000000000000000000ee");
    assertThat(
            OnChainVerification.of(
                    settledAtOnce,
                    List.of(),
                    java.util.Optional.of(new OnChainVerification.ApprovedKey(key, 42)))
                .summary())
        .startsWith("enclave key " + key + " approved at block 42")
        .contains("final at submission");

    // with its KeyApproval case read: the committee that approved it, its verdicts and quorum
    CourtCase approval = zkml(1, CourtCase.State.VALID, true, false, true);
    assertThat(
            OnChainVerification.of(
                    settledAtOnce,
                    List.of(),
                    java.util.Optional.of(
                        new OnChainVerification.ApprovedKey(
                            key, 42, java.util.Optional.of(approval))))
                .summary())
        .isEqualTo(
            "enclave key "
                + key
                + " approved at block 42 by committee "
                + member(1)
                + ", "
                + member(3)
                + " (2/3 VALID, quorum 66.66 % of committee stake, KeyApproval case 0x"
                + approval.caseId().toString(16)
                + "): a committee verified its attestation; the hub checked the receipt's"
                + " signature by it: final at submission");
  }

  @Test
  void aVotingCommitteeShowsTheVerdictsCastAndTheDeadline() {
    OnChainVerification v =
        OnChainVerification.of(
            record(RequestRecord.State.SUBMITTED, VerificationLevel.ZKML, 1),
            List.of(zkml(1, CourtCase.State.VOTING, true)));

    assertThat(v.summary())
        .isEqualTo(
            "ZKML proof: committee of 3 voting (round 1): 1/3 verdicts cast, 1 VALID; quorum 66.66"
                + " % of committee stake needed by chain time 200");
  }

  @Test
  void aReassignedRequestWaitingForItsNextNodeDoesNotShowTheRejectedResultAsItsOwn() {
    OnChainVerification v =
        OnChainVerification.of(
            record(RequestRecord.State.ASSIGNED, VerificationLevel.ZKML, 2),
            List.of(zkml(1, CourtCase.State.INVALID, false, false)));

    assertThat(v.summary())
        .isEqualTo("no result yet (1 earlier submission rejected by a committee)");
  }

  @Test
  void aResultAnsweredAfterARejectionNamesBoth() {
    OnChainVerification v =
        OnChainVerification.of(
            record(RequestRecord.State.FINALIZED, VerificationLevel.ZKML, 2),
            List.of(
                zkml(1, CourtCase.State.INVALID, false, false),
                zkml(2, CourtCase.State.VALID, true, true, true)));

    assertThat(v.latest().orElseThrow().attempt()).isEqualTo(2);
    assertThat(v.summary())
        .startsWith("ZKML proof: verified VALID by 3/3 of the committee")
        .endsWith("(1 earlier submission rejected by a committee)");
  }
}
