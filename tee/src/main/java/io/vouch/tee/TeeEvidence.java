package io.vouch.tee;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Signature;
import io.vouch.tee.nitro.NitroAttestationDocument;
import io.vouch.tee.policy.MeasurementId;
import java.time.Duration;
import java.time.Instant;

/**
 * The evidence behind a TEE receipt: the enclave's attestation document (COSE_Sign1, as emitted).
 * Its {@link #evidenceHash()} = {@code keccak256(document)} is what every receipt signed by the
 * enclave key carries as {@code evidenceHash}, and what the NodeRegistry stores as the key's {@code
 * attestationDocHash}: a receipt names the document that binds its signing key, and anyone finds
 * that document in the registry's {@code EnclaveKeyRegistered} event.
 */
public final class TeeEvidence {
  private final byte[] document;
  private final NitroAttestationDocument parsed;

  private TeeEvidence(byte[] document) {
    this.document = document;
    this.parsed = NitroAttestationDocument.parse(document);
  }

  /**
   * Wraps an attestation document.
   *
   * @throws io.vouch.tee.nitro.MalformedAttestationException when it is not a Nitro document
   */
  public static TeeEvidence of(byte[] attestationDocument) {
    return new TeeEvidence(attestationDocument.clone());
  }

  /** The document bytes as the enclave emitted them. */
  public byte[] attestationDocument() {
    return document.clone();
  }

  public NitroAttestationDocument document() {
    return parsed;
  }

  /** keccak256 of the document: a TEE receipt's evidenceHash, the registry's attestationDocHash. */
  public Bytes32 evidenceHash() {
    return Keccak.hash(document);
  }

  /**
   * The enclave key's address bound by {@code public_key}.
   *
   * @throws IllegalStateException when the document binds no secp256k1 key
   */
  public Address enclaveKey() {
    byte[] key =
        parsed
            .publicKey()
            .orElseThrow(() -> new IllegalStateException("the document has no public_key"));
    return EnclaveKeys.addressOf(key);
  }

  public MeasurementId measurement() {
    return MeasurementId.of(parsed);
  }

  public Instant documentTime() {
    return parsed.timestamp();
  }

  /**
   * What the node passes to {@code NodeRegistry.registerEnclaveKey}: the key lives {@code ttl} past
   * the document's time (at most the registry's {@code maxAttestationTtl}). {@link
   * EnclaveSigner#registration} makes the proof of possession and calls this.
   *
   * @param keyProof the enclave key's signature over {@code EnclaveKeyBinding(node, enclaveKey)} in
   *     the registry's domain ({@link EnclaveSigner#proveKeyPossession})
   */
  public EnclaveKeyRegistration registration(Duration ttl, Signature keyProof) {
    long docTime = documentTime().getEpochSecond();
    return new EnclaveKeyRegistration(
        enclaveKey(),
        measurement().toArray(),
        evidenceHash(),
        docTime,
        docTime + ttl.toSeconds(),
        document,
        keyProof);
  }
}
