package io.vouch.chain.registry;

import io.vouch.chain.tx.ContractError;
import io.vouch.chain.tx.ContractRevertException;
import java.util.Optional;

/**
 * The custom errors of the ModelRegistry ({@code contracts/src/ModelRegistry.sol}), recognised by
 * selector: {@link #of} tells which one a revert is. The signatures are the ABI's; {@code
 * ContractErrorsTest} checks that every one is declared there.
 */
public enum ModelRegistryError implements ContractError {
  AUDIT_RATE_TOO_HIGH("AuditRateTooHigh(uint16,uint16)"),
  EMPTY_CID("EmptyCid()"),
  EMPTY_NAME("EmptyName()"),
  INVALID_LEVELS("InvalidLevels(uint8)"),
  MODEL_INDEX_OUT_OF_RANGE("ModelIndexOutOfRange(uint256,uint256)"),
  NOT_NAME_OWNER("NotNameOwner(string,address,address)"),
  UNKNOWN_MODEL("UnknownModel(bytes32)"),
  VERSION_ALREADY_PUBLISHED("VersionAlreadyPublished(bytes32,string,uint32)"),
  VERSION_MUST_BE_POSITIVE("VersionMustBePositive()");

  private final String signature;

  ModelRegistryError(String signature) {
    this.signature = signature;
  }

  @Override
  public String signature() {
    return signature;
  }

  /** Which of the ModelRegistry's errors {@code e} is; empty for anything else. */
  public static Optional<ModelRegistryError> of(ContractRevertException e) {
    return ContractError.of(ModelRegistryError.class, e);
  }
}
