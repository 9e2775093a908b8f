package io.vouch.chain.hub;

import io.vouch.chain.tx.ContractError;
import io.vouch.chain.tx.ContractRevertException;
import java.util.Optional;

/**
 * The custom errors of the InferenceHub ({@code contracts/src/InferenceHub.sol}), recognised by
 * selector: {@link #of} tells which one a revert is. The signatures are the ABI's; {@code
 * ContractErrorsTest} checks that every one is declared there.
 */
public enum HubError implements ContractError {
  AMOUNT_TOO_LARGE("AmountTooLarge(uint256)"),
  ASSIGNED_NODE_LEFT("AssignedNodeLeft(uint256,address)"),
  CALLBACK_GAS_TOO_HIGH("CallbackGasTooHigh(uint32,uint32)"),
  CALLBACK_NOT_CONTRACT("CallbackNotContract(address)"),
  CHALLENGE_WINDOW_OPEN("ChallengeWindowOpen(uint256,uint64)"),
  COURT_ALREADY_SET("CourtAlreadySet(address)"),
  DEADLINE_NOT_REACHED("DeadlineNotReached(uint256,uint64)"),
  DEADLINE_PASSED("DeadlinePassed(uint64,uint64)"),
  DEADLINE_TOO_FAR("DeadlineTooFar(uint64,uint64)"),
  EMPTY_BATCH("EmptyBatch()"),
  FEE_TOO_HIGH("FeeTooHigh(uint256,uint256)"),
  FEE_TOO_LOW("FeeTooLow(uint256,uint256)"),
  INACTIVE_ENCLAVE_KEY("InactiveEnclaveKey(address,address)"),
  INPUT_HASH_MISMATCH("InputHashMismatch(bytes32,bytes32)"),
  INSUFFICIENT_CHANNEL("InsufficientChannel(address,address,uint256,uint256)"),
  INSUFFICIENT_DEPOSIT("InsufficientDeposit(address,uint256,uint256)"),
  INSUFFICIENT_GAS_FOR_CALLBACK("InsufficientGasForCallback(uint256,uint256)"),
  INVALID_RECEIPT_SIGNER("InvalidReceiptSigner(address,address)"),
  INVALID_SIGNATURE_LENGTH("InvalidSignatureLength(uint256)"),
  INVALID_SIGNATURE_V("InvalidSignatureV(uint8)"),
  INVALID_VOUCHER_SIGNER("InvalidVoucherSigner(address,address)"),
  LEVEL_NOT_ALLOWED("LevelNotAllowed(bytes32,uint8,uint8)"),
  MALLEABLE_SIGNATURE("MalleableSignature()"),
  NO_ELIGIBLE_NODE("NoEligibleNode(bytes32,uint8)"),
  NO_UNLOCK_PENDING("NoUnlockPending(address,address)"),
  NOT_ASSIGNED_NODE("NotAssignedNode(uint256,address,address)"),
  NOT_COURT("NotCourt(address,address)"),
  NOT_DEPLOYER("NotDeployer(address)"),
  NOT_REGISTERED_NODE("NotRegisteredNode(address)"),
  NOTHING_OWED("NothingOwed(address)"),
  OUTPUT_HASH_MISMATCH("OutputHashMismatch(bytes32,bytes32)"),
  REQUEST_NOT_ASSIGNED("RequestNotAssigned(uint256,uint8)"),
  REQUEST_NOT_SUBMITTED("RequestNotSubmitted(uint256,uint8)"),
  RESULT_ALREADY_SUBMITTED("ResultAlreadySubmitted(uint256)"),
  SUBMISSION_AFTER_DEADLINE("SubmissionAfterDeadline(uint256,uint64,uint64)"),
  TRANSFER_FAILED("TransferFailed(address,uint256)"),
  UNBONDING_DELAY_TOO_SHORT("UnbondingDelayTooShort(uint64,uint256,uint8,uint64,uint32)"),
  UNKNOWN_BATCH("UnknownBatch(uint256,uint256)"),
  UNKNOWN_MODEL("UnknownModel(bytes32)"),
  UNKNOWN_REQUEST("UnknownRequest(uint256)"),
  UNLOCK_NOT_DUE("UnlockNotDue(address,address,uint64)"),
  VERIFICATION_FEE_EXCEEDED("VerificationFeeExceeded(uint256,uint256)"),
  VERIFICATION_PENDING("VerificationPending(uint256)"),
  VOUCHER_ALREADY_REDEEMED("VoucherAlreadyRedeemed(address,address,uint256,uint256)"),
  ZERO_AMOUNT("ZeroAmount()"),
  ZERO_ROOT("ZeroRoot()");

  private final String signature;

  HubError(String signature) {
    this.signature = signature;
  }

  @Override
  public String signature() {
    return signature;
  }

  /** Which of the InferenceHub's errors {@code e} is; empty for anything else. */
  public static Optional<HubError> of(ContractRevertException e) {
    return ContractError.of(HubError.class, e);
  }
}
