package io.vouch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.chain.court.CourtCase;
import io.vouch.core.Address;
import io.vouch.sdk.onchain.OnChainVerification;
import io.vouch.sdk.onchain.RequestRecord;
import java.io.PrintWriter;

/**
 * How the chain verified a request's result ({@link OnChainVerification}), as {@code vouch infer
 * --on-chain} and {@code vouch request show} print it: the summary, then each court case with its
 * committee and verdicts; and its JSON form.
 */
final class VerificationText {
  private static final ObjectMapper JSON = new ObjectMapper();

  private VerificationText() {}

  /** {@code verified <summary>}, then one line per case and one per seat. */
  static void print(PrintWriter out, String label, String indent, OnChainVerification v) {
    out.printf("%s%s%n", label, v.summary());
    boolean finalized = v.state() == RequestRecord.State.FINALIZED;
    for (CourtCase c : v.cases()) {
      out.printf(
          "%scase 0x%s (attempt %d, node %s)%s%n",
          indent,
          c.caseId().toString(16),
          c.attempt(),
          c.node(),
          v.cases().size() == 1 ? "" : ": " + OnChainVerification.describe(c, finalized));
      for (CourtCase.Seat s : c.committee()) {
        out.printf(
            "%s  member %s  stake %s wei  %s%n",
            indent,
            s.member(),
            s.stake(),
            !s.voted() ? "no verdict" : s.votedValid() ? "VALID" : "INVALID");
      }
    }
    v.enclaveKey()
        .flatMap(OnChainVerification.ApprovedKey::approval)
        .ifPresent(c -> {
          out.printf(
              "%sKeyApproval case 0x%s of enclave key %s (node %s)%n",
              indent, c.caseId().toString(16), v.enclaveKey().get().enclaveKey(), c.node());
          for (CourtCase.Seat s : c.committee()) {
            out.printf(
                "%s  member %s  stake %s wei  %s%n",
                indent,
                s.member(),
                s.stake(),
                !s.voted() ? "no verdict" : s.votedValid() ? "VALID" : "INVALID");
          }
        });
  }

  static ObjectNode toJson(OnChainVerification v) {
    ObjectNode n = JSON.createObjectNode();
    n.put("routed", v.routed());
    n.put("summary", v.summary());
    n.put("decidedByQuorum", v.decidedByQuorum());
    ArrayNode cases = n.putArray("cases");
    for (CourtCase c : v.cases()) {
      caseJson(cases.addObject(), c);
    }
    v.enclaveKey()
        .ifPresent(k -> {
          ObjectNode key =
              n.putObject("enclaveKey")
                  .put("key", k.enclaveKey().toHex())
                  .put("approvedAtBlock", k.approvedAtBlock())
                  .put("approved", k.describe());
          k.approval().ifPresent(c -> caseJson(key.putObject("approvalCase"), c));
        });
    return n;
  }

  /** One court case: its kind, state, round, quorum, stakes and committee with verdicts. */
  private static void caseJson(ObjectNode target, CourtCase c) {
    ObjectNode j =
        target
            .put("caseId", c.caseId().toString())
            .put("attempt", c.attempt())
            .put("node", c.node().toHex())
            .put("kind", c.kind().name())
            .put("state", c.state().name())
            .put("round", c.round() + 1)
            .put("auditRateBps", c.auditRateBps())
            .put("lotteryResolved", c.lotteryResolved())
            .put("auditSelected", c.auditSelected())
            .put("seedBlock", c.seedBlock())
            .put("deadline", c.deadline())
            .put("quorumBps", c.quorumBps())
            .put("validStakeWei", c.validStake().toString())
            .put("invalidStakeWei", c.invalidStake().toString())
            .put("committeeStakeWei", c.committeeStake().toString())
            .put("verdictsCast", c.committee().stream().filter(CourtCase.Seat::voted).count());
    if (!c.challenger().equals(Address.ZERO)) {
      j.put("challenger", c.challenger().toHex()).put("bondWei", c.bond().toString());
    }
    ArrayNode seats = j.putArray("committee");
    for (CourtCase.Seat s : c.committee()) {
      ObjectNode seat =
          seats
              .addObject()
              .put("member", s.member().toHex())
              .put("stakeWei", s.stake().toString())
              .put("voted", s.voted());
      if (s.voted()) {
        seat.put("valid", s.votedValid());
      }
    }
  }
}
