package io.vouch.tee.nitro;

/** Why an attestation document was refused, by the verifier or by the policy. */
public enum RejectionReason {
  // ---- verifier: is this a genuine document? ----
  /** Not a well-formed Nitro COSE_Sign1 document (the message names the field and the rule). */
  MALFORMED,
  /** {@code cabundle[0]} is not a configured root. */
  UNTRUSTED_ROOT,
  /** The document chains to a development root but the development flag is not set. */
  DEVELOPMENT_ROOT_NOT_ALLOWED,
  /** A certificate of the path is expired or not yet valid at the validation time. */
  CERTIFICATE_NOT_VALID_AT_TIME,
  /** The certificate path does not validate to the root (bad signature, constraint, ...). */
  CHAIN_INVALID,
  /** The COSE signature does not verify with the leaf certificate's key. */
  BAD_SIGNATURE,

  // ---- policy: is it the enclave we want? ----
  /** PCR0–2 are all zero: a debug-mode enclave, whose memory the host can read. */
  DEBUG_MODE,
  /** PCR0/1/2 (or a pinned PCR8) are not on the allow-list. */
  MEASUREMENT_NOT_ALLOWED,
  /** The nonce is absent or differs from the challenge. */
  NONCE_MISMATCH,
  /** The document is older than the allowed age, or dated in the future. */
  NOT_FRESH,
  /** {@code public_key} is absent or is not the expected enclave key. */
  PUBLIC_KEY_MISMATCH,
  /** {@code user_data} is absent or is not SHA-256 of the expected enclave manifest. */
  MANIFEST_MISMATCH
}
