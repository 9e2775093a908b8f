package io.vouch.node.inference;

import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.Tensor;

/** The output of one inference and the node's signed receipt over it. */
public record InferenceResult(
    LoadedModel model, Tensor output, SignedReceipt receipt, long executionMicros) {}
