package io.vouch.tee;

import io.vouch.core.Address;
import io.vouch.core.crypto.InvalidSignatureException;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.tee.TeeReceiptVerdict.Invalid;
import io.vouch.tee.TeeReceiptVerdict.Reason;
import io.vouch.tee.nitro.AttestationVerdict;
import io.vouch.tee.nitro.MalformedAttestationException;
import io.vouch.tee.nitro.NitroAttestationDocument;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.policy.AttestationPolicy;
import io.vouch.tee.policy.MeasurementId;
import java.time.Duration;
import java.time.Instant;

/**
 * Off-chain check of a TEE receipt against the attestation document its evidenceHash names, in this
 * order:
 *
 * <ol>
 *   <li>level TEE, and evidenceHash = keccak256(document);
 *   <li>the document is genuine at its own time ({@link NitroAttestationVerifier}: root, chain,
 *       ES384 signature) and the policy accepts it (allow-listed measurement, no debug enclave, and
 *       whatever manifest / nonce rules the policy carries), also at the document's time;
 *   <li>{@code public_key} binds a secp256k1 key, and the receipt's signature (low s) recovers to
 *       that key's address in {@code domain} (so a receipt for another chain or hub fails);
 *   <li>the receipt is dated within the key's lifetime: not before the document (minus the policy
 *       clock skew of 30 s) and at most {@code maxKeyAge} after it.
 * </ol>
 *
 * <p>What it cannot see: on-chain revocation (a revoked measurement or key). A client that needs
 * that also asks the NodeRegistry's {@code isActiveEnclaveKey(node, key)}.
 */
public final class TeeReceiptVerifier {
  private static final Duration CLOCK_SKEW = AttestationPolicy.DEFAULT_CLOCK_SKEW;

  private final NitroAttestationVerifier attestations;
  private final AttestationPolicy policy;
  private final Duration maxKeyAge;

  /**
   * @param attestations verifies documents against the configured roots (production: AWS only)
   * @param policy the measurement allow-list and binding rules; it should not pin a nonce unless
   *     every checked receipt comes from one known registration
   * @param maxKeyAge how long after its document an enclave key may sign (the registry's TTL)
   */
  public TeeReceiptVerifier(
      NitroAttestationVerifier attestations, AttestationPolicy policy, Duration maxKeyAge) {
    this.attestations = attestations;
    this.policy = policy;
    this.maxKeyAge = maxKeyAge;
  }

  public TeeReceiptVerdict verify(
      SignedReceipt signed, byte[] attestationDocument, Eip712Domain domain) {
    var receipt = signed.receipt();
    if (!receipt.level().runsInEnclave()) {
      return invalid(Reason.NOT_TEE_LEVEL, "the receipt's level is " + receipt.level());
    }
    TeeEvidence evidence;
    try {
      evidence = TeeEvidence.of(attestationDocument);
    } catch (MalformedAttestationException e) {
      return invalid(Reason.ATTESTATION_INVALID, e.getMessage());
    }
    if (!evidence.evidenceHash().equals(receipt.evidenceHash())) {
      return invalid(
          Reason.EVIDENCE_MISMATCH,
          "evidenceHash "
              + receipt.evidenceHash()
              + " is not keccak256 of the supplied document ("
              + evidence.evidenceHash()
              + ")");
    }
    NitroAttestationDocument document = evidence.document();
    AttestationVerdict genuine = attestations.verifyAtDocumentTime(document);
    if (genuine instanceof AttestationVerdict.Rejected r) {
      return invalid(Reason.ATTESTATION_INVALID, r.toString());
    }
    AttestationVerdict accepted = policy.apply(genuine, document.timestamp());
    if (!(accepted instanceof AttestationVerdict.Accepted ok)) {
      return invalid(Reason.ATTESTATION_REFUSED, accepted.toString());
    }
    Address enclaveKey;
    try {
      enclaveKey = evidence.enclaveKey();
    } catch (IllegalStateException | IllegalArgumentException e) {
      return invalid(Reason.KEY_NOT_BOUND, e.getMessage());
    }
    Address signer;
    try {
      signer = signed.signer(domain);
    } catch (InvalidSignatureException e) {
      return invalid(Reason.WRONG_SIGNER, e.getMessage());
    }
    if (!signer.equals(enclaveKey)) {
      return invalid(
          Reason.WRONG_SIGNER,
          "the receipt recovers to "
              + signer
              + " in domain (chainId="
              + domain.chainId()
              + ", hub="
              + domain.verifyingContract()
              + "), not to the attested enclave key "
              + enclaveKey);
    }
    Instant signedAt = Instant.ofEpochSecond(receipt.timestamp());
    Instant born = document.timestamp().minus(CLOCK_SKEW);
    Instant dies = document.timestamp().plus(maxKeyAge);
    if (signedAt.isBefore(born) || signedAt.isAfter(dies)) {
      return invalid(
          Reason.KEY_EXPIRED,
          "the receipt is dated "
              + signedAt
              + ", outside the key's lifetime "
              + document.timestamp()
              + " + "
              + maxKeyAge);
    }
    return new TeeReceiptVerdict.Valid(enclaveKey, MeasurementId.of(document), ok.anchor());
  }

  private static TeeReceiptVerdict invalid(Reason reason, String message) {
    return new Invalid(reason, message);
  }
}
