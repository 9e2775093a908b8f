package io.vouch.node.inference;

import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.evidence.Evidence;
import java.util.Optional;

/**
 * The output of one inference, the node's signed receipt over it, and the level's evidence.
 *
 * @param evidence what the level's producer made besides the receipt ({@link Evidence#payload()}:
 *     the ZKML proof bytes, whose keccak256 is the receipt's evidenceHash)
 */
public record InferenceResult(
    LoadedModel model,
    NamedTensors outputs,
    SignedReceipt receipt,
    long executionMicros,
    Evidence evidence) {

  /** The output of a model with one output; an error naming the outputs when there are several. */
  public Tensor output() {
    return outputs.only();
  }

  /** The evidence bytes that travel with the result (the ZKML proof); empty for the others. */
  public Optional<byte[]> proof() {
    return evidence.payload();
  }
}
