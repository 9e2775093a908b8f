package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import java.util.Optional;

/**
 * The checking side of one verification level, used by the SDK and by validators: decides whether a
 * result's evidence holds. One per level, paired with the {@link EvidenceProducer} whose output it
 * checks. A verifier never throws for a result that is wrong, it says so in its {@link Verdict};
 * what it reads through its directories (the chain, a model hub, a node) may throw when those are
 * unreachable.
 */
public sealed interface EvidenceVerifier permits VanillaVerifier, TeeVerifier, ZkmlVerifier {
  VerificationLevel level();

  /**
   * Checks a result received off chain, in full: the domain is the expected chain and hub, the
   * request and model ids are the ones asked for, the receipt's hashes are those of the inputs and
   * outputs the claim holds, and the level's evidence holds.
   */
  Verdict verify(ResultClaim claim, Bytes32 expectedRequestId, Bytes32 expectedModelId);

  /**
   * Checks what the hub could not of a result it accepted on chain; empty when the hub's own checks
   * at submission are all this level's evidence allows a client to check.
   */
  Optional<Verdict> verifySubmitted(SubmittedResult result);
}
