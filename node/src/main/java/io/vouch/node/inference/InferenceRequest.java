package io.vouch.node.inference;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.Tensor;

/** One inference to run: which model, on what input, at which level, for which request id. */
public record InferenceRequest(
    String model, Tensor input, VerificationLevel level, Bytes32 requestId) {}
