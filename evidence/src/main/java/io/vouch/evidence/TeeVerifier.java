package io.vouch.evidence;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.InvalidSignatureException;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.tee.TeeReceiptVerdict;
import io.vouch.tee.TeeReceiptVerifier;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.AttestationPolicy;
import java.util.Optional;

/**
 * Checks TEE results. A TEE receipt names the node (its staked address) but is signed by that
 * node's enclave key: the signer must be an enclave key the registry lists as active for that node
 * ({@link EnclaveKeyDirectory}), and (unless {@link TeeTrust#chainOnly()}) bound by an attestation
 * document that the receipt's evidenceHash names and that verifies under the anchors usable on this
 * deployment ({@link TeeTrust}); with no such anchor the verdict is {@link Verdict.Undecided},
 * saying how to configure one.
 */
public final class TeeVerifier implements EvidenceVerifier {
  private final Eip712Domain domain;
  private final NodeDirectory nodes;
  private final EnclaveKeyDirectory keys;
  private final TeeTrust trust;

  public TeeVerifier(
      Eip712Domain domain, NodeDirectory nodes, EnclaveKeyDirectory keys, TeeTrust trust) {
    this.domain = domain;
    this.nodes = nodes;
    this.keys = keys;
    this.trust = trust;
  }

  @Override
  public VerificationLevel level() {
    return VerificationLevel.TEE;
  }

  @Override
  public Verdict verify(ResultClaim claim, Bytes32 expectedRequestId, Bytes32 expectedModelId) {
    try {
      Claims.common(level(), domain, claim, expectedRequestId, expectedModelId);
      return new Verdict.Valid(checkEnclaveSignature(claim.receipt()));
    } catch (Claims.Stop stop) {
      return stop.verdict();
    }
  }

  /**
   * The hub accepted the result because its signer is an active enclave key; the client also checks
   * what the hub cannot, exactly as for a direct result: the receipt, rebuilt from the submit
   * transaction, goes through {@link #verify} (enclave key, and the attestation document unless the
   * trust is chain-only).
   */
  @Override
  public Optional<Verdict> verifySubmitted(SubmittedResult result) {
    ResultClaim claim =
        new ResultClaim(
            result.level(),
            result.inputs(),
            result.outputs(),
            result.source().receipt(),
            domain,
            Optional.empty());
    return Optional.of(verify(claim, result.requestId(), result.modelId()));
  }

  private String checkEnclaveSignature(SignedReceipt receipt) {
    InferenceReceipt r = receipt.receipt();
    Address signer;
    try {
      signer = receipt.signer(domain);
    } catch (InvalidSignatureException e) {
      throw Claims.invalid("TEE receipt signature is invalid: " + e.getMessage());
    }
    if (!nodes.isRegisteredNode(r.node())) {
      throw Claims.invalid(
          "TEE receipt names " + r.node() + ", which is not a registered, staked node");
    }
    if (!keys.isActiveEnclaveKey(r.node(), signer)) {
      throw Claims.invalid(
          "TEE receipt is signed by "
              + signer
              + ", which is not an active enclave key of node "
              + r.node()
              + " (never registered by it, revoked, expired, or its measurement was revoked by"
              + " governance), or the receipt was altered after signing");
    }
    String what =
        "hashes, ids, domain, signature by active enclave key " + signer + " of " + r.node();
    if (!trust.verifyAttestation()) {
      return what + "; attestation document not checked (TeeTrust.chainOnly)";
    }
    return what + ", " + checkAttestation(receipt, signer);
  }

  private String checkAttestation(SignedReceipt receipt, Address signer) {
    InferenceReceipt r = receipt.receipt();
    boolean developmentAllowed = keys.developmentAttestationAllowed();
    TrustAnchors anchors =
        trust
            .anchorsFor(developmentAllowed)
            .orElseThrow(() ->
                Claims.undecided(
                    "TEE result of node "
                        + r.node()
                        + " refused: its attestation document cannot be checked because no trust"
                        + " anchor is configured for this deployment"
                        + (trust.developmentRoot().isPresent() && !developmentAllowed
                            ? " (a development root is configured, but this deployment's"
                                + " NodeRegistry does not allow development attestation)"
                            : "")
                        + "; "
                        + TeeTrust.HOW_TO_CONFIGURE));
    byte[] document =
        keys.attestationDocument(r.node(), signer, r.evidenceHash())
            .orElseThrow(() ->
                Claims.invalid(
                    "no EnclaveKeyRegistered event of node "
                        + r.node()
                        + " binds enclave key "
                        + signer
                        + " with attestation document "
                        + r.evidenceHash()));
    AttestationPolicy.Builder policy = AttestationPolicy.builder();
    if (trust.measurements().isEmpty()) {
      policy.allowAnyMeasurement(); // the registry's allow-list, checked above, decides
    } else {
      trust.measurements().forEach(policy::allow);
    }
    TeeReceiptVerdict verdict =
        new TeeReceiptVerifier(
                new NitroAttestationVerifier(anchors), policy.build(), keys.maxKeyAge())
            .verify(receipt, document, domain);
    if (!(verdict instanceof TeeReceiptVerdict.Valid valid)) {
      throw Claims.invalid("TEE attestation check failed: " + verdict);
    }
    return "attestation "
        + r.evidenceHash()
        + " ("
        + valid.anchor()
        + " root, measurement "
        + valid.measurement()
        + ")";
  }
}
