package io.vouch.sdk;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.Tensor;

/**
 * A result as the SDK returns it: the output, the evidence, the domain it was signed in, where it
 * came from, and how it has been verified so far.
 */
public record InferenceOutcome(
    Bytes32 requestId,
    Bytes32 modelId,
    String modelRef,
    VerificationLevel level,
    Tensor input,
    Tensor output,
    SignedReceipt receipt,
    Eip712Domain domain,
    String nodeEndpoint,
    Verification verification) {

  /** How far a result has been checked. */
  public sealed interface Verification {
    /** Not checked yet. */
    record Unverified() implements Verification {}

    /** Checked by this client; {@code what} says which checks ran. */
    record ClientVerified(String what) implements Verification {}
  }

  public Address node() {
    return receipt.receipt().node();
  }

  public InferenceOutcome withVerification(Verification v) {
    return new InferenceOutcome(
        requestId, modelId, modelRef, level, input, output, receipt, domain, nodeEndpoint, v);
  }
}
