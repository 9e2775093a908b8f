package io.vouch.hub.cid;

/**
 * A string or byte sequence is not a CID this hub accepts; the message says what and how to fix it.
 */
public final class InvalidCidException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidCidException(String message) {
    super(message);
  }
}
