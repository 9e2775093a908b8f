package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.Eip712Domain;
import java.util.Optional;

/**
 * Checks VANILLA results: the receipt is signed, in the expected domain, by the node it names, and
 * that node is registered with stake. What a signature cannot show (that the node ran the model
 * honestly) is the business of audits by re-execution.
 */
public final class VanillaVerifier implements EvidenceVerifier {
  private final Eip712Domain domain;
  private final NodeDirectory nodes;

  public VanillaVerifier(Eip712Domain domain, NodeDirectory nodes) {
    this.domain = domain;
    this.nodes = nodes;
  }

  @Override
  public VerificationLevel level() {
    return VerificationLevel.VANILLA;
  }

  @Override
  public Verdict verify(ResultClaim claim, Bytes32 expectedRequestId, Bytes32 expectedModelId) {
    try {
      Claims.common(level(), domain, claim, expectedRequestId, expectedModelId);
      return new Verdict.Valid(Claims.signedByRegisteredNode(domain, nodes, claim.receipt()));
    } catch (Claims.Stop stop) {
      return stop.verdict();
    }
  }

  /** The hub recovered the node's signature at submission: a client has nothing more to check. */
  @Override
  public Optional<Verdict> verifySubmitted(SubmittedResult result) {
    return Optional.empty();
  }
}
