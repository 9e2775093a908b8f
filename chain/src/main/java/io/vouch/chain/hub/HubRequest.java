package io.vouch.chain.hub;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;

/**
 * One request as the InferenceHub records it ({@code getRequest}), in core types. Times are chain
 * time in seconds. An unknown id reads as a request with status {@link RequestStatus#NONE} and
 * zeros elsewhere.
 *
 * @param deadline chain time by which {@code node} must submit
 * @param attempts how many nodes have been assigned so far
 * @param node the node assigned now (after a reassignment, the latest one)
 * @param submittedAt chain time of the submission (0 before)
 * @param challengeWindow seconds a submitted VANILLA or ZKML result waits before it can finalize
 * @param timeout seconds each assigned node gets
 * @param viaCourt routed through the VerificationCourt: its escrow reserves the verification fee
 * @param maxFee what the requester escrowed
 * @param nodePrice what the assigned node is paid at finalization
 * @param modelFee what the model owner is paid at finalization
 * @param outputHash keccak256 of the output once submitted (zero before)
 */
public record HubRequest(
    BigInteger requestId,
    RequestStatus status,
    Address requester,
    long deadline,
    VerificationLevel level,
    int attempts,
    boolean fastDelivery,
    Address node,
    long submittedAt,
    long callbackGasLimit,
    Address callback,
    long challengeWindow,
    long timeout,
    boolean viaCourt,
    Address modelOwner,
    BigInteger maxFee,
    BigInteger nodePrice,
    BigInteger modelFee,
    Bytes32 modelId,
    Bytes32 inputHash,
    Bytes32 outputHash) {

  /** Whether the hub knows this request. */
  public boolean exists() {
    return status != RequestStatus.NONE;
  }

  /** Chain time from which a submitted result may be finalized; 0 before submission. */
  public long finalizableAt() {
    return submittedAt == 0 ? 0 : submittedAt + challengeWindow;
  }
}
