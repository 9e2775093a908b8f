package io.vouch.sdk.verify;

import io.vouch.core.Bytes32;
import io.vouch.core.crypto.InvalidSignatureException;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClientException;

/**
 * Checks a VANILLA result locally: the receipt's hashes are recomputed from the tensors the client
 * holds, the request and model ids are the ones asked for, the domain is the expected chain and
 * hub, and the signature recovers to the node named in the receipt, which must be a registered node
 * ({@link NodeDirectory}).
 */
public final class ResultVerifier {
  private final Eip712Domain expectedDomain;
  private final NodeDirectory nodes;

  public ResultVerifier(Eip712Domain expectedDomain, NodeDirectory nodes) {
    this.expectedDomain = expectedDomain;
    this.nodes = nodes;
  }

  public InferenceOutcome verify(
      InferenceOutcome outcome, Bytes32 expectedRequestId, Bytes32 expectedModelId) {
    InferenceReceipt r = outcome.receipt().receipt();
    if (!outcome.domain().equals(expectedDomain)) {
      fail(
          "result was signed for chain "
              + outcome.domain().chainId()
              + " hub "
              + outcome.domain().verifyingContract()
              + ", expected chain "
              + expectedDomain.chainId()
              + " hub "
              + expectedDomain.verifyingContract());
    }
    check(
        r.requestId().equals(expectedRequestId), "receipt is for another request " + r.requestId());
    check(r.modelId().equals(expectedModelId), "receipt is for another model " + r.modelId());
    check(
        r.level() == outcome.level(), "receipt level " + r.level() + " differs from the result's");
    check(
        r.inputHash().equals(outcome.input().hash()),
        "receipt input hash does not match the input sent");
    check(
        r.outputHash().equals(outcome.output().hash()),
        "receipt output hash does not match the output returned");
    try {
      outcome.receipt().requireSignedBy(expectedDomain, r.node());
    } catch (InvalidSignatureException e) {
      fail("receipt signature is invalid: " + e.getMessage());
    }
    if (!nodes.isRegisteredNode(r.node())) {
      fail("receipt signer " + r.node() + " is not a registered, staked node");
    }
    return outcome.withVerification(
        new InferenceOutcome.Verification.ClientVerified(
            "hashes, ids, domain, signature by registered node " + r.node()));
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      fail(message);
    }
  }

  private static void fail(String message) {
    throw new VouchClientException(ErrorCode.VERIFICATION_FAILED, message);
  }
}
