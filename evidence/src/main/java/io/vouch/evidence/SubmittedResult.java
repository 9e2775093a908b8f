package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.NamedTensors;

/**
 * A result the hub accepted on chain. The hub already checked, at submission, that the receipt
 * rebuilt from the request and the submitted fields is signed by the assigned node (or an active
 * enclave key of it) and that the outputs hash to the signed output hash; a verifier checks what
 * the hub cannot, reading the parts it needs through {@link #source()} only when it needs them.
 *
 * @param evidenceHash the evidenceHash the node submitted
 */
public record SubmittedResult(
    Bytes32 requestId,
    Bytes32 modelId,
    VerificationLevel level,
    NamedTensors inputs,
    NamedTensors outputs,
    Bytes32 evidenceHash,
    EvidenceSource source) {

  /** Where the parts of an on-chain result that are not in the hub's events come from. */
  public interface EvidenceSource {
    /** The signed receipt, rebuilt from the calldata of the node's {@code submitResult}. */
    SignedReceipt receipt();

    /** The evidence bytes whose keccak256 is {@code evidenceHash}, from the submitting node. */
    byte[] payload(Bytes32 evidenceHash);
  }
}
