package io.vouch.chain.registry;

import io.vouch.chain.tx.ContractError;
import io.vouch.chain.tx.ContractRevertException;
import java.util.Optional;

/**
 * The custom errors of the NodeRegistry ({@code contracts/src/NodeRegistry.sol}), recognised by
 * selector: {@link #of} tells which one a revert is. The signatures are the ABI's; {@code
 * ContractErrorsTest} checks that every one is declared there.
 */
public enum NodeRegistryError implements ContractError {
  ALREADY_REGISTERED("AlreadyRegistered(address)"),
  ATTESTATION_DOC_HASH_MISMATCH("AttestationDocHashMismatch(bytes32,bytes32)"),
  ATTESTATION_FROM_FUTURE("AttestationFromFuture(uint64,uint64)"),
  ATTESTATION_TTL_TOO_LONG("AttestationTtlTooLong(uint64,uint64)"),
  COURT_ALREADY_SET("CourtAlreadySet(address)"),
  COURT_NOT_SET("CourtNotSet()"),
  EMPTY_ATTESTATION_DOCUMENT("EmptyAttestationDocument()"),
  EMPTY_ENDPOINT("EmptyEndpoint()"),
  ENCLAVE_KEY_EXPIRED("EnclaveKeyExpired(uint64,uint64)"),
  ENCLAVE_KEY_IS_REJECTED("EnclaveKeyIsRejected(address)"),
  ENCLAVE_KEY_IS_REVOKED("EnclaveKeyIsRevoked(address)"),
  ENCLAVE_KEY_TAKEN("EnclaveKeyTaken(address,address)"),
  HUB_ALREADY_SET("HubAlreadySet(address)"),
  INVALID_ENCLAVE_KEY_PROOF("InvalidEnclaveKeyProof(address,address)"),
  INVALID_LEVELS("InvalidLevels(uint8)"),
  INVALID_MEASUREMENT_LENGTH("InvalidMeasurementLength(uint256)"),
  INVALID_ROLES("InvalidRoles(uint8)"),
  INVALID_SIGNATURE_LENGTH("InvalidSignatureLength(uint256)"),
  INVALID_SIGNATURE_V("InvalidSignatureV(uint8)"),
  MALLEABLE_SIGNATURE("MalleableSignature()"),
  MEASUREMENT_NOT_ALLOWED("MeasurementNotAllowed(bytes32)"),
  NODE_INDEX_OUT_OF_RANGE("NodeIndexOutOfRange(uint256,uint256)"),
  NODE_IS_UNBONDING("NodeIsUnbonding(address,uint64)"),
  NOT_COURT("NotCourt(address,address)"),
  NOT_DEPLOYER("NotDeployer(address,address)"),
  NOT_ENCLAVE_KEY_OWNER("NotEnclaveKeyOwner(address,address,address)"),
  NOT_GOVERNANCE("NotGovernance(address,address)"),
  NOT_HUB("NotHub(address,address)"),
  NOT_REGISTERED("NotRegistered(address)"),
  NOT_UNBONDING("NotUnbonding(address)"),
  POOL_WEIGHT_OVERFLOW("PoolWeightOverflow(uint256)"),
  STAKE_TOO_LOW("StakeTooLow(uint256,uint256)"),
  TICKET_OUT_OF_RANGE("TicketOutOfRange(uint256,uint256)"),
  TOO_MANY_MODELS("TooManyModels(uint256,uint256)"),
  TRANSFER_FAILED("TransferFailed(address,uint256)"),
  UNBONDING_NOT_FINISHED("UnbondingNotFinished(address,uint64)"),
  WRONG_APPROVAL_FEE("WrongApprovalFee(uint256,uint256)"),
  ZERO_ADDRESS("ZeroAddress()"),
  ZERO_AMOUNT("ZeroAmount()");

  private final String signature;

  NodeRegistryError(String signature) {
    this.signature = signature;
  }

  @Override
  public String signature() {
    return signature;
  }

  /** Which of the NodeRegistry's errors {@code e} is; empty for anything else. */
  public static Optional<NodeRegistryError> of(ContractRevertException e) {
    return ContractError.of(NodeRegistryError.class, e);
  }
}
