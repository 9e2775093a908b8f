package io.vouch.core.tensor;

/** A tensor, or its encoding, is malformed. The message says what is wrong and how to fix it. */
public final class TensorFormatException extends IllegalArgumentException {
  public TensorFormatException(String message) {
    super(message);
  }
}
