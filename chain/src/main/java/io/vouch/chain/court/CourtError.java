package io.vouch.chain.court;

import io.vouch.chain.tx.ContractError;
import io.vouch.chain.tx.ContractRevertException;
import java.util.Optional;

/**
 * The custom errors of the VerificationCourt ({@code contracts/src/VerificationCourt.sol}),
 * recognised by selector: {@link #of} tells which one a revert is. The signatures are the ABI's;
 * {@code ContractErrorsTest} checks them against it.
 */
public enum CourtError implements ContractError {
  ALREADY_VOTED("AlreadyVoted(uint256,address)"),
  CASE_EXISTS("CaseExists(uint256)"),
  CHALLENGE_WINDOW_CLOSED("ChallengeWindowClosed(uint256,uint64)"),
  INVALID_CONFIG("InvalidConfig(string)"),
  INVALID_SIGNATURE_LENGTH("InvalidSignatureLength(uint256)"),
  INVALID_SIGNATURE_V("InvalidSignatureV(uint8)"),
  MALLEABLE_SIGNATURE("MalleableSignature()"),
  NOT_A_VALIDATOR("NotAValidator(address)"),
  NOT_CHALLENGEABLE("NotChallengeable(uint256,uint8)"),
  NOT_HUB("NotHub(address)"),
  NOT_ON_COMMITTEE("NotOnCommittee(uint256,uint8,address)"),
  NOT_REGISTRY("NotRegistry(address)"),
  NOT_VOTING("NotVoting(uint256,uint8)"),
  NOTHING_OWED("NothingOwed(address)"),
  NOTHING_TO_DRAW("NothingToDraw(uint256,uint8)"),
  SEED_NOT_READY("SeedNotReady(uint256,uint64,uint64)"),
  SELECTED_FOR_AUDIT("SelectedForAudit(uint256)"),
  STALE_ROUND("StaleRound(uint256,uint8,uint8)"),
  TRANSFER_FAILED("TransferFailed(address,uint256)"),
  UNBONDING_DELAY_TOO_SHORT("UnbondingDelayTooShort(uint64,uint256)"),
  VERDICT_MISMATCH("VerdictMismatch(uint256,uint256)"),
  VERDICT_SUBJECT_MISMATCH("VerdictSubjectMismatch(uint256,bytes32,bytes32)"),
  VOTING_CLOSED("VotingClosed(uint256,uint64)"),
  VOTING_OPEN("VotingOpen(uint256,uint64)"),
  WRONG_BOND("WrongBond(uint256,uint256)"),
  WRONG_COMMITTEE("WrongCommittee(uint256,uint8)"),
  WRONG_FEE("WrongFee(uint256,uint256)");

  private final String signature;

  CourtError(String signature) {
    this.signature = signature;
  }

  @Override
  public String signature() {
    return signature;
  }

  /** Which of the court's errors {@code e} is; empty for anything else. */
  public static Optional<CourtError> of(ContractRevertException e) {
    return ContractError.of(CourtError.class, e);
  }
}
