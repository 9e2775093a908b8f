package io.vouch.core.crypto;

/** A signature is malformed or does not verify. */
public final class InvalidSignatureException extends RuntimeException {
  public InvalidSignatureException(String message) {
    super(message);
  }
}
