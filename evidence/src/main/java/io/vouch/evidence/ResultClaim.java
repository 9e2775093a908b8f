package io.vouch.evidence;

import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.NamedTensors;
import java.util.Optional;

/**
 * A result as it reached its checker off chain: what it claims, to be checked by an {@link
 * EvidenceVerifier}.
 *
 * @param level the level the result says it was delivered at
 * @param inputs the inputs as the checker sent them (their hash must be the receipt's inputHash)
 * @param outputs the outputs returned (their hash must be the receipt's outputHash)
 * @param domain the EIP-712 domain the result says it was signed in
 * @param payload the evidence bytes that came with the result ({@link Evidence#payload()}: the ZKML
 *     proof), empty when none came
 */
public record ResultClaim(
    VerificationLevel level,
    NamedTensors inputs,
    NamedTensors outputs,
    SignedReceipt receipt,
    Eip712Domain domain,
    Optional<byte[]> payload) {

  public ResultClaim {
    payload = payload == null ? Optional.empty() : payload;
  }
}
