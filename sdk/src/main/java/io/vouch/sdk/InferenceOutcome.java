package io.vouch.sdk;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import java.util.Optional;

/**
 * A result as the SDK returns it: the inputs and outputs by name (one tensor each for most models:
 * {@link #input()}, {@link #output()}), the evidence, the domain it was signed in, where it came
 * from, and how it has been verified so far. The receipt's inputHash and outputHash are the hashes
 * of {@code inputs} and {@code outputs} ({@link NamedTensors#hash()}).
 *
 * @param proof level ZKML only: the proof bytes ({@code io.vouch.zk.mlp.ZkProof}) that the
 *     receipt's evidenceHash names; the output is then the model's int64 logits, shape [1, n]
 */
public record InferenceOutcome(
    Bytes32 requestId,
    Bytes32 modelId,
    String modelRef,
    VerificationLevel level,
    NamedTensors inputs,
    NamedTensors outputs,
    SignedReceipt receipt,
    Eip712Domain domain,
    String nodeEndpoint,
    Verification verification,
    Optional<byte[]> proof) {

  public InferenceOutcome {
    proof = proof == null ? Optional.empty() : proof;
  }

  /** A result of a model with one input and one output. */
  public InferenceOutcome(
      Bytes32 requestId,
      Bytes32 modelId,
      String modelRef,
      VerificationLevel level,
      Tensor input,
      Tensor output,
      SignedReceipt receipt,
      Eip712Domain domain,
      String nodeEndpoint,
      Verification verification,
      Optional<byte[]> proof) {
    this(
        requestId,
        modelId,
        modelRef,
        level,
        NamedTensors.lone(input),
        NamedTensors.lone(output),
        receipt,
        domain,
        nodeEndpoint,
        verification,
        proof);
  }

  /** The input of a model with one input; an error naming the inputs when there are several. */
  public Tensor input() {
    return inputs.only();
  }

  /** The output of a model with one output; an error naming the outputs when there are several. */
  public Tensor output() {
    return outputs.only();
  }

  /** A result without a ZKML proof (VANILLA, TEE). */
  public InferenceOutcome(
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
    this(
        requestId,
        modelId,
        modelRef,
        level,
        NamedTensors.lone(input),
        NamedTensors.lone(output),
        receipt,
        domain,
        nodeEndpoint,
        verification,
        Optional.empty());
  }

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
        requestId,
        modelId,
        modelRef,
        level,
        inputs,
        outputs,
        receipt,
        domain,
        nodeEndpoint,
        v,
        proof);
  }

  /** The same result with other proof bytes (what a tampering relay would hand over). */
  public InferenceOutcome withProof(byte[] otherProof) {
    return new InferenceOutcome(
        requestId,
        modelId,
        modelRef,
        level,
        inputs,
        outputs,
        receipt,
        domain,
        nodeEndpoint,
        verification,
        Optional.of(otherProof.clone()));
  }
}
