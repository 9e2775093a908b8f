package io.vouch.evidence;

import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.NamedTensors;

/**
 * What an {@link EvidenceProducer} made of one request: the outputs by name, the receipt over
 * inputs and outputs, the level's evidence, and how long the engine (and prover) took.
 */
public record Production(
    NamedTensors outputs, SignedReceipt receipt, Evidence evidence, long executionMicros) {}
