package io.vouch.sdk.onchain;

import io.vouch.chain.court.CourtCase;
import io.vouch.core.VerificationLevel;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;

/**
 * How an on-chain request's result was (or is being) verified on chain: the VerificationCourt's
 * case of each submission, read with {@code getCase}. A request the hub did not route through the
 * court (no court in session when it was made, or a TEE request) has no case.
 *
 * @param routed whether the request went through the court (its submissions open cases)
 * @param cases the cases of its submissions, in attempt order (an earlier attempt's case is one a
 *     committee rejected, or a submission that was reassigned); empty when not routed or not
 *     submitted yet
 * @param enclaveKey for a result signed in an enclave: the key and the block at which a committee
 *     approved it (its KeyApproval case), when it could be read
 * @param summary one line for people: who checked the latest result, how, and whether it is final
 */
public record OnChainVerification(
    BigInteger requestId,
    VerificationLevel level,
    RequestRecord.State state,
    boolean routed,
    List<CourtCase> cases,
    Optional<ApprovedKey> enclaveKey,
    String summary) {

  public OnChainVerification {
    cases = List.copyOf(cases);
  }

  /**
   * The enclave key that signed a TEE result, approved by a committee at {@code approvedAtBlock}.
   *
   * @param approval the key's KeyApproval case (its committee, verdicts and quorum), when it could
   *     be read
   */
  public record ApprovedKey(
      io.vouch.core.Address enclaveKey, long approvedAtBlock, Optional<CourtCase> approval) {
    /** A key whose approval case was not read. */
    public ApprovedKey(io.vouch.core.Address enclaveKey, long approvedAtBlock) {
      this(enclaveKey, approvedAtBlock, Optional.empty());
    }

    /**
     * "enclave key 0x… approved at block N by committee 0x…, 0x… (2/3 VALID, quorum 66.67 % of
     * committee stake, KeyApproval case 0x…)", or without the committee when its case was not read.
     */
    public String describe() {
      String key = "enclave key " + enclaveKey + " approved at block " + approvedAtBlock;
      if (approval.isEmpty()) {
        return key;
      }
      CourtCase c = approval.get();
      List<io.vouch.core.Address> valid =
          c.committee().stream()
              .filter(s -> s.voted() && s.votedValid())
              .map(CourtCase.Seat::member)
              .toList();
      return key
          + " by committee "
          + String.join(", ", valid.stream().map(io.vouch.core.Address::toString).toList())
          + " ("
          + valid.size()
          + "/"
          + c.committee().size()
          + " VALID, quorum "
          + percent(c.quorumBps())
          + " of committee stake, KeyApproval case 0x"
          + c.caseId().toString(16)
          + ")";
    }
  }

  /** Builds the record and its summary from the hub's record and the cases found. */
  public static OnChainVerification of(RequestRecord r, List<CourtCase> cases) {
    return of(r, cases, Optional.empty());
  }

  /**
   * Builds the record and its summary from the hub's record, the cases found and, for an
   * enclave-signed result, its key's approval.
   */
  public static OnChainVerification of(
      RequestRecord r, List<CourtCase> cases, Optional<ApprovedKey> enclaveKey) {
    boolean routed = !cases.isEmpty();
    return new OnChainVerification(
        r.requestId(),
        r.level(),
        r.state(),
        routed,
        cases,
        enclaveKey,
        summarize(r, cases, enclaveKey));
  }

  /** The case of the latest submission, when there is one. */
  public Optional<CourtCase> latest() {
    return cases.isEmpty() ? Optional.empty() : Optional.of(cases.getLast());
  }

  /** Whether a committee's VALID quorum settled the latest result. */
  public boolean decidedByQuorum() {
    return latest().map(c -> c.state() == CourtCase.State.VALID).orElse(false);
  }

  private static String summarize(
      RequestRecord r, List<CourtCase> cases, Optional<ApprovedKey> enclaveKey) {
    boolean finalized = r.state() == RequestRecord.State.FINALIZED;
    if (r.state() == RequestRecord.State.ASSIGNED) {
      long rejected = cases.stream().filter(c -> c.state() == CourtCase.State.INVALID).count();
      return "no result yet"
          + (rejected == 0
              ? ""
              : " ("
                  + rejected
                  + " earlier submission"
                  + (rejected == 1 ? "" : "s")
                  + " rejected by a committee)");
    }
    if (cases.isEmpty()) {
      Optional<String> submittedIn = r.transaction("submitted");
      if (finalized && submittedIn.isPresent() && submittedIn.equals(r.transaction("finalized"))) {
        // settled in its own submission: an enclave-signed result the hub checked at once
        return enclaveKey
            .map(k ->
                k.describe()
                    + ": a committee verified its attestation; the hub checked the receipt's"
                    + " signature by it: final at submission")
            .orElse(
                "settled at submission: the hub checked the receipt's signature by the node's"
                    + " active, committee-approved enclave key; final at once");
      }
      return "not routed through the VerificationCourt (no court in session when it was"
          + " requested): nobody on chain checked the result; "
          + (finalized ? "final because the challenge window passed" : "final after the window");
    }
    String latest = describe(cases.getLast(), finalized);
    long rejected =
        cases.subList(0, cases.size() - 1).stream()
            .filter(c -> c.state() == CourtCase.State.INVALID)
            .count();
    return rejected == 0
        ? latest
        : latest
            + " ("
            + rejected
            + " earlier submission"
            + (rejected == 1 ? "" : "s")
            + " rejected by a committee)";
  }

  /** One case in words: its kind, state, committee, verdicts and quorum. */
  public static String describe(CourtCase c, boolean finalized) {
    String quorum = "quorum " + percent(c.quorumBps()) + " of committee stake";
    String rate = "rate " + percent(c.auditRateBps());
    String subject =
        c.kind() == CourtCase.Kind.AUDIT
            ? "selected for audit (" + rate + ")"
            : c.kind() == CourtCase.Kind.CHALLENGE
                ? "challenged by " + c.challenger()
                : "ZKML proof";
    int size = c.committee().size();
    long voted = c.committee().stream().filter(CourtCase.Seat::voted).count();
    long valid = c.committee().stream().filter(s -> s.voted() && s.votedValid()).count();
    String round = "round " + (c.round() + 1);
    return switch (c.state()) {
      case NONE -> "no case";
      case LOTTERY ->
          "audit lottery (" + rate + ") not drawn yet (from block " + c.seedBlock() + ")";
      case NOT_SELECTED ->
          "not selected for audit ("
              + rate
              + "); "
              + (finalized
                  ? "challenge window passed with no challenge: final"
                  : "challengeable until its challenge window ends");
      case AWAITING_DRAW ->
          subject + ": committee not drawn yet (" + round + ", from block " + c.seedBlock() + ")";
      case VOTING ->
          subject
              + ": committee of "
              + size
              + " voting ("
              + round
              + "): "
              + voted
              + "/"
              + size
              + " verdicts cast, "
              + valid
              + " VALID; "
              + quorum
              + " needed by chain time "
              + c.deadline();
      case VALID ->
          (c.kind() == CourtCase.Kind.CHALLENGE
                  ? subject + ", challenge rejected: "
                  : subject + ": ")
              + "verified VALID by "
              + valid
              + "/"
              + size
              + " of the committee ("
              + quorum
              + " reached, "
              + round
              + "): final";
      case INVALID ->
          subject
              + ": judged INVALID by "
              + (voted - valid)
              + "/"
              + size
              + " of the committee ("
              + quorum
              + " reached, "
              + round
              + "): the node was slashed and the request went to another node or back";
      case RELEASED ->
          subject
              + ": no verification quorum after "
              + (c.round() + 1)
              + " round"
              + (c.round() == 0 ? "" : "s")
              + ", released"
              + (c.kind() == CourtCase.Kind.ZKML
                  ? " (ZKML: refunded)"
                  : finalized ? " (final by its challenge window)" : " (final after its window)");
    };
  }

  private static String percent(int bps) {
    return new BigDecimal(bps)
            .divide(BigDecimal.valueOf(100), 2, RoundingMode.DOWN)
            .stripTrailingZeros()
            .toPlainString()
        + " %";
  }
}
