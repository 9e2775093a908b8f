package io.vouch.evidence;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.InvalidSignatureException;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;

/** The checks every level makes of a result, and the way a verifier stops at the first failure. */
final class Claims {
  private Claims() {}

  /** Ends a verifier's checks with a verdict; caught at the verifier's public methods. */
  static final class Stop extends RuntimeException {
    private final transient Verdict verdict;

    Stop(Verdict verdict) {
      super(verdict.toString(), null, false, false);
      this.verdict = verdict;
    }

    Verdict verdict() {
      return verdict;
    }
  }

  static Stop invalid(String reason) {
    return new Stop(new Verdict.Invalid(reason));
  }

  static Stop undecided(String reason) {
    return new Stop(new Verdict.Undecided(reason));
  }

  static void check(boolean ok, String reason) {
    if (!ok) {
      throw invalid(reason);
    }
  }

  /**
   * The level-independent part: signed for the expected chain and hub, for the request and model
   * asked for, at the level the result states (the verifier's own), over the inputs sent and the
   * outputs returned.
   */
  static void common(
      VerificationLevel verifierLevel,
      Eip712Domain expectedDomain,
      ResultClaim claim,
      Bytes32 expectedRequestId,
      Bytes32 expectedModelId) {
    InferenceReceipt r = claim.receipt().receipt();
    if (!claim.domain().equals(expectedDomain)) {
      throw invalid(
          "result was signed for chain "
              + claim.domain().chainId()
              + " hub "
              + claim.domain().verifyingContract()
              + ", expected chain "
              + expectedDomain.chainId()
              + " hub "
              + expectedDomain.verifyingContract());
    }
    check(
        r.requestId().equals(expectedRequestId), "receipt is for another request " + r.requestId());
    check(r.modelId().equals(expectedModelId), "receipt is for another model " + r.modelId());
    check(r.level() == claim.level(), "receipt level " + r.level() + " differs from the result's");
    check(
        r.inputHash().equals(claim.inputs().hash()),
        "receipt input hash does not match the input sent");
    check(
        r.outputHash().equals(claim.outputs().hash()),
        "receipt output hash does not match the output returned");
    check(
        claim.level() == verifierLevel,
        "a " + verifierLevel + " verifier cannot check a " + claim.level() + " result");
  }

  /**
   * The receipt is signed in {@code domain} by the node it names, and that node is registered with
   * stake; returns what was checked.
   */
  static String signedByRegisteredNode(
      Eip712Domain domain, NodeDirectory nodes, SignedReceipt receipt) {
    Address node = receipt.receipt().node();
    try {
      receipt.requireSignedBy(domain, node);
    } catch (InvalidSignatureException e) {
      throw invalid("receipt signature is invalid: " + e.getMessage());
    }
    if (!nodes.isRegisteredNode(node)) {
      throw invalid("receipt signer " + node + " is not a registered, staked node");
    }
    return "hashes, ids, domain, signature by registered node " + node;
  }
}
