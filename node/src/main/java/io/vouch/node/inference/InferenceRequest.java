package io.vouch.node.inference;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;

/**
 * One inference to run: which model, on what inputs, at which level, for which request id.
 *
 * @param inputs the model's inputs by name; one tensor may carry any name (see {@link #SOLE}): it
 *     is the input of a model that takes one
 */
public record InferenceRequest(
    String model, NamedTensors inputs, VerificationLevel level, Bytes32 requestId) {

  /**
   * The name a lone tensor gets when it arrives without one (the binary form, on-chain input, a
   * single JSON "input"); the executor gives it the model's input name.
   */
  public static final String SOLE = NamedTensors.LONE;

  /** A request with one unnamed input tensor, for a model that takes one. */
  public InferenceRequest(String model, Tensor input, VerificationLevel level, Bytes32 requestId) {
    this(model, NamedTensors.lone(input), level, requestId);
  }
}
