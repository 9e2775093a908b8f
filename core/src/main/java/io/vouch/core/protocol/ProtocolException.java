package io.vouch.core.protocol;

/**
 * A message of the node protocol that cannot be read: a header or field missing, malformed or too
 * long. The message names it; a node answers it as BAD_INPUT, the SDK as a node that misbehaved.
 */
public final class ProtocolException extends IllegalArgumentException {
  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
