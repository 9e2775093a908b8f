package io.vouch.tee.nitro;

/** The outcome of verifying (and, optionally, applying a policy to) an attestation document. */
public sealed interface AttestationVerdict {

  boolean isAccepted();

  /** The document is genuine (and, after a policy, acceptable); {@code anchor} says which root. */
  record Accepted(NitroAttestationDocument document, TrustAnchors.Kind anchor)
      implements AttestationVerdict {
    @Override
    public boolean isAccepted() {
      return true;
    }

    @Override
    public String toString() {
      return "ACCEPTED (" + anchor + ")";
    }
  }

  /** The document was refused; {@code message} says what exactly was wrong. */
  record Rejected(RejectionReason reason, String message) implements AttestationVerdict {
    @Override
    public boolean isAccepted() {
      return false;
    }

    @Override
    public String toString() {
      return "REJECTED " + reason + ": " + message;
    }
  }
}
