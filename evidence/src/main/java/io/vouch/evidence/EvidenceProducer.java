package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.NamedTensors;
import java.util.Optional;

/**
 * The node side of one verification level: runs a request on the engine the level prescribes and
 * returns the outputs with a signed receipt and the level's {@link Evidence}. One per level, paired
 * with the {@link EvidenceVerifier} that checks what it produces; adding a level means adding a
 * pair, not touching the node's request flow.
 *
 * <p>Failures are {@link io.vouch.core.error.VouchException}s: {@code BAD_INPUT} for inputs the
 * model or the level cannot take.
 */
public sealed interface EvidenceProducer permits VanillaProducer, TeeProducer, ZkmlProducer {
  VerificationLevel level();

  /**
   * Empty when this node can produce this level's evidence for {@code model}; otherwise why not,
   * phrased for the client (which then asks another node).
   */
  Optional<String> unavailableFor(ServedModel model);

  /**
   * What {@link #produce} checks of {@code inputs} before running, without running it: a request
   * that cannot run is refused before anything is paid for it.
   */
  void check(ServedModel model, NamedTensors inputs);

  /** Runs {@code model} on {@code inputs} for request {@code requestId} and signs the result. */
  Production produce(Bytes32 requestId, ServedModel model, NamedTensors inputs);
}
