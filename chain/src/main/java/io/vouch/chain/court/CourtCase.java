package io.vouch.chain.court;

import io.vouch.core.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * One case of the VerificationCourt as {@code getCase} reports it, with Solidity's enums as Java
 * enums.
 *
 * @param committee this round's seats, in seat order (empty before the draw, and once released)
 * @param deadline the round's voting deadline (block timestamp, seconds; 0 without a committee)
 * @param subject what the committee judges, keccak256(abi.encode(outputHash, evidenceHash)); null
 *     without a committee
 */
public record CourtCase(
    BigInteger caseId,
    BigInteger requestId,
    int attempt,
    Address node,
    Kind kind,
    State state,
    int auditRateBps,
    boolean lotteryResolved,
    boolean auditSelected,
    long seedBlock,
    int round,
    long deadline,
    List<Seat> committee,
    BigInteger validStake,
    BigInteger invalidStake,
    BigInteger committeeStake,
    int quorumBps,
    Address challenger,
    BigInteger bond,
    io.vouch.core.Bytes32 subject) {

  public CourtCase {
    committee = List.copyOf(committee);
  }

  /** Solidity {@code VerificationCourt.Kind}. */
  public enum Kind {
    ZKML,
    AUDIT,
    CHALLENGE,
    /** An enclave key's attestation (NodeRegistry.registerEnclaveKey): no request behind it. */
    KEY_APPROVAL;

    static Kind of(int ordinal) {
      return values()[ordinal];
    }
  }

  /** Solidity {@code VerificationCourt.State}. */
  public enum State {
    NONE,
    LOTTERY,
    NOT_SELECTED,
    AWAITING_DRAW,
    VOTING,
    VALID,
    INVALID,
    RELEASED;

    static State of(int ordinal) {
      return values()[ordinal];
    }

    /** Decided or released: nothing more happens in this case. */
    public boolean closed() {
      return this == VALID || this == INVALID || this == RELEASED;
    }
  }

  /** A committee seat: the member, its stake at the draw, whether and how it voted. */
  public record Seat(Address member, BigInteger stake, boolean voted, boolean votedValid) {}

  /** The seat of {@code member} in this round's committee, if it has one. */
  public Optional<Seat> seatOf(Address member) {
    return committee.stream().filter(s -> s.member().equals(member)).findFirst();
  }

  public List<Address> members() {
    return committee.stream().map(Seat::member).toList();
  }

  /** Whether this case judges an enclave key rather than a request's result. */
  public boolean judgesEnclaveKey() {
    return kind == Kind.KEY_APPROVAL;
  }

  /** Whether the case exists (a request not routed through the court has none). */
  public boolean exists() {
    return state != State.NONE;
  }
}
