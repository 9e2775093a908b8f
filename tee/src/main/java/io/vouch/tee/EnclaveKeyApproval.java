package io.vouch.tee;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.InvalidSignatureException;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.EnclaveKeyBinding;
import io.vouch.tee.nitro.AttestationVerdict;
import io.vouch.tee.nitro.MalformedAttestationException;
import io.vouch.tee.nitro.NitroAttestationDocument;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.RejectionReason;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.AttestationPolicy;
import io.vouch.tee.policy.MeasurementId;
import java.util.function.Predicate;

/**
 * What a member of a KeyApproval committee checks of an enclave key registration before it votes
 * (VERIFICATION.md, TEE row), in this order:
 *
 * <ol>
 *   <li>the document hashes to the registered {@code attestationDocHash};
 *   <li>the key's proof of possession: its signature over {@code EnclaveKeyBinding(node, key)} in
 *       the registry's EIP-712 domain recovers to the key (the registry checked it too: a second
 *       look costs nothing);
 *   <li>the document is genuine at its own time under the anchors this verifier was built with —
 *       the deployment's: the AWS Nitro root, and the development root only where the deployment
 *       allows development attestation (a document of the dev root on a production deployment fails
 *       here) — and is no debug enclave;
 *   <li>its measurement is the one registered ({@code keccak256} of the 48 bytes) and is on the
 *       registry's allow-list;
 *   <li>its {@code public_key} binds the registered key;
 *   <li>the registered document time is the document's own (a later one would stretch the key's
 *       life past its attestation).
 * </ol>
 *
 * What it cannot check: the manifest's model list (the committee does not know what the node meant
 * to serve) and the nonce's freshness beyond the document's own time.
 */
public final class EnclaveKeyApproval {
  /** A registration as the NodeRegistry's {@code EnclaveKeyRegistered} event records it. */
  public record Registration(
      Address node,
      Address enclaveKey,
      Bytes32 measurementId,
      Bytes32 attestationDocHash,
      long docTimeSeconds,
      byte[] attestationDocument,
      byte[] keyProof) {
    public Registration {
      attestationDocument = attestationDocument.clone();
      keyProof = keyProof.clone();
    }

    @Override
    public byte[] attestationDocument() {
      return attestationDocument.clone();
    }

    @Override
    public byte[] keyProof() {
      return keyProof.clone();
    }
  }

  /** What the member concluded. */
  public sealed interface Outcome {
    boolean approved();

    /** Every check passed: vote VALID. */
    record Approve(MeasurementId measurement, TrustAnchors.Kind anchor) implements Outcome {
      @Override
      public boolean approved() {
        return true;
      }
    }

    /** A check failed: vote INVALID; {@code reason} says which and why. */
    record Refuse(String reason) implements Outcome {
      @Override
      public boolean approved() {
        return false;
      }
    }

    /**
     * This verifier cannot tell: the document chains to a root it was not given, and it was not
     * given the AWS root either (so the document might be a genuine Nitro one). No vote.
     */
    record Unjudged(String reason) implements Outcome {
      @Override
      public boolean approved() {
        return false;
      }
    }
  }

  private final NitroAttestationVerifier attestations;
  private final Eip712Domain registryDomain;

  /**
   * @param attestations verifies documents against the deployment's anchors (build it with the
   *     development root only when the deployment allows development attestation)
   * @param registryDomain the NodeRegistry's EIP-712 domain (proofs of possession)
   */
  public EnclaveKeyApproval(NitroAttestationVerifier attestations, Eip712Domain registryDomain) {
    this.attestations = attestations;
    this.registryDomain = registryDomain;
  }

  /**
   * @param allowedOnChain whether the registry's allow-list holds a measurement now
   */
  public Outcome judge(Registration r, Predicate<MeasurementId> allowedOnChain) {
    byte[] doc = r.attestationDocument();
    Bytes32 actual = Keccak.hash(doc);
    if (!actual.equals(r.attestationDocHash())) {
      return refuse(
          "the document hashes to " + actual + ", not the registered " + r.attestationDocHash());
    }
    Address possessor;
    try {
      possessor =
          Secp256k1.recover(
              new EnclaveKeyBinding(r.node(), r.enclaveKey()).digest(registryDomain),
              Signature.of(r.keyProof()));
    } catch (IllegalArgumentException | InvalidSignatureException e) {
      return refuse("the key's proof of possession is malformed: " + e.getMessage());
    }
    if (!possessor.equals(r.enclaveKey())) {
      return refuse(
          "the proof of possession recovers to "
              + possessor
              + ", not to the registered key "
              + r.enclaveKey());
    }
    TeeEvidence evidence;
    try {
      evidence = TeeEvidence.of(doc);
    } catch (MalformedAttestationException e) {
      return refuse("the attestation document does not parse: " + e.getMessage());
    }
    NitroAttestationDocument document = evidence.document();
    AttestationVerdict genuine = attestations.verifyAtDocumentTime(document);
    if (genuine instanceof AttestationVerdict.Rejected rejected) {
      if (rejected.reason() == RejectionReason.UNTRUSTED_ROOT
          && attestations.anchors().awsRoot().isEmpty()) {
        return new Outcome.Unjudged(
            "the document chains to a root this validator does not hold, and it holds no AWS"
                + " Nitro root to tell a genuine enclave: "
                + rejected.message());
      }
      return refuse(
          "the attestation document is not genuine under this deployment's anchors: " + genuine);
    }
    MeasurementId measurement = evidence.measurement();
    AttestationVerdict acceptable =
        AttestationPolicy.builder().allow(measurement).build().apply(genuine, document.timestamp());
    if (!(acceptable instanceof AttestationVerdict.Accepted accepted)) {
      return refuse("the attestation document is refused by policy: " + acceptable);
    }
    Bytes32 measured = Keccak.hash(measurement.toArray());
    if (!measured.equals(r.measurementId())) {
      return refuse(
          "the document attests measurement "
              + measurement
              + ", not the registered one (keccak256 "
              + r.measurementId()
              + ")");
    }
    if (!allowedOnChain.test(measurement)) {
      return refuse("measurement " + measurement + " is not on the registry's allow-list");
    }
    Address bound;
    try {
      bound = evidence.enclaveKey();
    } catch (IllegalStateException | IllegalArgumentException e) {
      return refuse("the document binds no secp256k1 key: " + e.getMessage());
    }
    if (!bound.equals(r.enclaveKey())) {
      return refuse(
          "the document binds key " + bound + ", not the registered key " + r.enclaveKey());
    }
    long docTime = document.timestamp().getEpochSecond();
    if (docTime != r.docTimeSeconds()) {
      return refuse(
          "the registration says the document is of "
              + r.docTimeSeconds()
              + " s, the document says "
              + docTime
              + " s");
    }
    return new Outcome.Approve(measurement, accepted.anchor());
  }

  private static Outcome refuse(String reason) {
    return new Outcome.Refuse(reason);
  }
}
