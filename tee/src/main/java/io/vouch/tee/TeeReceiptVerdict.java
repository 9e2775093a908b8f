package io.vouch.tee;

import io.vouch.core.Address;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.MeasurementId;

/** The outcome of checking a TEE receipt off chain ({@link TeeReceiptVerifier}). */
public sealed interface TeeReceiptVerdict {

  boolean isValid();

  /** Signed by {@code enclaveKey}, which a genuine, acceptable attestation binds. */
  record Valid(Address enclaveKey, MeasurementId measurement, TrustAnchors.Kind anchor)
      implements TeeReceiptVerdict {
    @Override
    public boolean isValid() {
      return true;
    }
  }

  record Invalid(Reason reason, String message) implements TeeReceiptVerdict {
    @Override
    public boolean isValid() {
      return false;
    }

    @Override
    public String toString() {
      return "INVALID " + reason + ": " + message;
    }
  }

  enum Reason {
    /** The receipt's level is not TEE. */
    NOT_TEE_LEVEL,
    /** evidenceHash is not keccak256 of the attestation document supplied with it. */
    EVIDENCE_MISMATCH,
    /** The document is not a genuine attestation under the configured roots. */
    ATTESTATION_INVALID,
    /** The document is genuine but the policy refuses it (measurement, debug, manifest, nonce). */
    ATTESTATION_REFUSED,
    /** The document binds no secp256k1 enclave key in {@code public_key}. */
    KEY_NOT_BOUND,
    /** The signature does not recover to the bound key (tampered, wrong key, other chain/hub). */
    WRONG_SIGNER,
    /** The receipt is dated outside the key's lifetime (before its document or past its TTL). */
    KEY_EXPIRED
  }
}
