package io.vouch.node.inference;

import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import java.util.Optional;

/**
 * The output of one inference and the node's signed receipt over it.
 *
 * @param proof the ZKML proof bytes ({@code ZkProof.toBytes}) when the level is ZKML; the receipt's
 *     evidenceHash is their keccak256
 */
public record InferenceResult(
    LoadedModel model,
    NamedTensors outputs,
    SignedReceipt receipt,
    long executionMicros,
    Optional<byte[]> proof) {

  public InferenceResult {
    proof = proof == null ? Optional.empty() : proof;
  }

  public InferenceResult(
      LoadedModel model, NamedTensors outputs, SignedReceipt receipt, long executionMicros) {
    this(model, outputs, receipt, executionMicros, Optional.empty());
  }

  /** The output of a model with one output; an error naming the outputs when there are several. */
  public Tensor output() {
    return outputs.only();
  }
}
