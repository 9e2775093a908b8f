package io.vouch.tee.policy;

import io.vouch.core.Hex;
import io.vouch.tee.nitro.AttestationVerdict;
import io.vouch.tee.nitro.AttestationVerdict.Accepted;
import io.vouch.tee.nitro.AttestationVerdict.Rejected;
import io.vouch.tee.nitro.NitroAttestationDocument;
import io.vouch.tee.nitro.RejectionReason;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a genuine attestation document is one we accept (TEE.md, step 6): not a debug enclave
 * (unless {@code allowDebug}), an allowed image, the expected nonce, fresh enough, and bound to the
 * expected enclave key and manifest. Applied on top of {@code NitroAttestationVerifier}'s verdict;
 * every rule that is configured must hold.
 *
 * <p>The allow-list is never implicit: a policy either lists measurements or says {@link
 * Builder#allowAnyMeasurement()} (for inspection tools that print PCRs for a person to compare).
 */
public final class AttestationPolicy {
  /** Tolerated clock difference for documents dated slightly after "now". */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

  private final boolean allowDebug;
  private final List<AllowedMeasurement> allowed;
  private final boolean allowAnyMeasurement;
  private final byte[] expectedNonce;
  private final Duration maxAge;
  private final Duration clockSkew;
  private final byte[] expectedPublicKey;
  private final EnclaveManifest expectedManifest;

  private AttestationPolicy(Builder b) {
    this.allowDebug = b.allowDebug;
    this.allowed = List.copyOf(b.allowed);
    this.allowAnyMeasurement = b.allowAnyMeasurement;
    this.expectedNonce = b.expectedNonce;
    this.maxAge = b.maxAge;
    this.clockSkew = b.clockSkew;
    this.expectedPublicKey = b.expectedPublicKey;
    this.expectedManifest = b.expectedManifest;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Applies the policy to a verifier's verdict: a rejection passes through unchanged, an accepted
   * document is checked against every configured rule.
   *
   * @param now the reference time for freshness (a clock reading, or the document time when
   *     re-checking an archive)
   */
  public AttestationVerdict apply(AttestationVerdict verified, Instant now) {
    if (!(verified instanceof Accepted accepted)) {
      return verified;
    }
    return firstViolation(accepted.document(), now)
        .<AttestationVerdict>map(r -> r)
        .orElse(verified);
  }

  private Optional<Rejected> firstViolation(NitroAttestationDocument doc, Instant now) {
    if (doc.isDebugMode() && !allowDebug) {
      return reject(
          RejectionReason.DEBUG_MODE,
          "PCR0, PCR1 and PCR2 are all zero: a debug-mode enclave, whose memory the host can read");
    }
    MeasurementId id = MeasurementId.of(doc);
    if (!allowAnyMeasurement && allowed.stream().noneMatch(a -> a.matches(id, doc.pcr(8)))) {
      return reject(
          RejectionReason.MEASUREMENT_NOT_ALLOWED,
          "measurement "
              + id
              + " (SHA-384 of PCR0||PCR1||PCR2"
              + doc.pcr(8).map(p -> ", PCR8 " + Hex.encode(p)).orElse("")
              + ") is not on the allow-list of "
              + allowed.size());
    }
    if (expectedNonce != null && !equalBytes(doc.nonce(), expectedNonce)) {
      return reject(
          RejectionReason.NONCE_MISMATCH,
          doc.nonce().isEmpty()
              ? "the document has no nonce but the challenge was " + Hex.encode(expectedNonce)
              : "the nonce is not the challenge " + Hex.encode(expectedNonce));
    }
    if (maxAge != null) {
      Duration age = Duration.between(doc.timestamp(), now);
      if (age.compareTo(clockSkew.negated()) < 0) {
        return reject(
            RejectionReason.NOT_FRESH,
            "the document is dated " + doc.timestamp() + ", after the reference time " + now);
      }
      if (age.compareTo(maxAge) > 0) {
        return reject(
            RejectionReason.NOT_FRESH,
            "the document is " + age + " old at " + now + "; at most " + maxAge + " is allowed");
      }
    }
    if (expectedPublicKey != null && !equalBytes(doc.publicKey(), expectedPublicKey)) {
      return reject(
          RejectionReason.PUBLIC_KEY_MISMATCH,
          doc.publicKey().isEmpty()
              ? "the document has no public_key; it must carry the enclave's signing key"
              : "public_key is not the expected enclave key " + Hex.encode(expectedPublicKey));
    }
    if (expectedManifest != null && !equalBytes(doc.userData(), expectedManifest.userData())) {
      return reject(
          RejectionReason.MANIFEST_MISMATCH,
          "user_data must be SHA-256 of the enclave manifest ("
              + Hex.encode(expectedManifest.userData())
              + "), got "
              + doc.userData().map(Hex::encode).orElse("nothing"));
    }
    return Optional.empty();
  }

  private static boolean equalBytes(Optional<byte[]> actual, byte[] expected) {
    return actual.map(a -> MessageDigest.isEqual(a, expected)).orElse(false);
  }

  private static Optional<Rejected> reject(RejectionReason reason, String message) {
    return Optional.of(new Rejected(reason, message));
  }

  /** Collects the rules; {@link #build()} insists on an explicit measurement choice. */
  public static final class Builder {
    private boolean allowDebug;
    private final List<AllowedMeasurement> allowed = new ArrayList<>();
    private boolean allowAnyMeasurement;
    private byte[] expectedNonce;
    private Duration maxAge;
    private Duration clockSkew = DEFAULT_CLOCK_SKEW;
    private byte[] expectedPublicKey;
    private EnclaveManifest expectedManifest;

    private Builder() {}

    /** Accept debug-mode enclaves (PCR0–2 zero). Development and inspection only. */
    public Builder allowDebug(boolean allow) {
      this.allowDebug = allow;
      return this;
    }

    public Builder allow(AllowedMeasurement measurement) {
      allowed.add(measurement);
      return this;
    }

    public Builder allow(MeasurementId measurement) {
      return allow(AllowedMeasurement.of(measurement));
    }

    /** Skip the allow-list: for tools that show PCRs to a person, never for a registry. */
    public Builder allowAnyMeasurement() {
      this.allowAnyMeasurement = true;
      return this;
    }

    public Builder expectedNonce(byte[] nonce) {
      this.expectedNonce = nonce.clone();
      return this;
    }

    /** The oldest a document may be at the reference time. */
    public Builder maxAge(Duration maxAge) {
      if (maxAge.isNegative()) {
        throw new IllegalArgumentException("max age must not be negative: " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    public Builder clockSkew(Duration skew) {
      if (skew.isNegative()) {
        throw new IllegalArgumentException("clock skew must not be negative: " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /** The exact {@code public_key} bytes the enclave must attest (its signing key). */
    public Builder expectedPublicKey(byte[] publicKey) {
      this.expectedPublicKey = publicKey.clone();
      return this;
    }

    /** {@code user_data} must be SHA-256 of this manifest's canonical bytes. */
    public Builder expectedManifest(EnclaveManifest manifest) {
      this.expectedManifest = manifest;
      return this;
    }

    public AttestationPolicy build() {
      if (allowed.isEmpty() && !allowAnyMeasurement) {
        throw new IllegalStateException(
            "the policy has no allowed measurement: add one with allow(...) or, for inspection"
                + " only, call allowAnyMeasurement()");
      }
      return new AttestationPolicy(this);
    }
  }
}
