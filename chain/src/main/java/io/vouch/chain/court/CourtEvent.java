package io.vouch.chain.court;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import java.math.BigInteger;
import java.util.List;

/** The VerificationCourt's events that validators and keepers act on, decoded into core types. */
public sealed interface CourtEvent {
  long blockNumber();

  BigInteger caseId();

  /** A submission of a routed request opened a case (ZKML: awaiting its draw; VANILLA: lottery). */
  record CaseOpened(
      long blockNumber,
      BigInteger caseId,
      BigInteger requestId,
      Address node,
      CourtCase.Kind kind,
      CourtCase.State state,
      long seedBlock)
      implements CourtEvent {}

  /**
   * An enclave key registration opened a KeyApproval case (with its {@link CaseOpened}): the
   * committee judges the document whose keccak256 is {@code attestationDocHash}.
   */
  record KeyApprovalOpened(
      long blockNumber,
      BigInteger caseId,
      Address node,
      Address enclaveKey,
      Bytes32 attestationDocHash)
      implements CourtEvent {}

  /** A committee was drawn for {@code round}; its members vote until {@code deadline}. */
  record CommitteeDrawn(
      long blockNumber, BigInteger caseId, int round, List<Address> members, long deadline)
      implements CourtEvent {
    public CommitteeDrawn {
      members = List.copyOf(members);
    }
  }

  /** A round ended without quorum; {@code redraw}: another committee is to be drawn. */
  record RoundExpired(long blockNumber, BigInteger caseId, int round, boolean redraw)
      implements CourtEvent {}

  /** A challenger put up its bond against a VANILLA result: the case awaits a committee. */
  record Challenged(long blockNumber, BigInteger caseId, Address challenger)
      implements CourtEvent {}

  /** The seed of a pending lottery or draw was too old; a new seed block was set. */
  record SeedRearmed(long blockNumber, BigInteger caseId, long seedBlock) implements CourtEvent {}
}
