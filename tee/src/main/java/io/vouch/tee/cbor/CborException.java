package io.vouch.tee.cbor;

/** Input that is not well-formed CBOR, or uses a feature this decoder refuses. */
public final class CborException extends RuntimeException {
  private final int offset;

  public CborException(int offset, String message) {
    super("CBOR at byte " + offset + ": " + message);
    this.offset = offset;
  }

  /** The byte offset in the input where the problem was found. */
  public int offset() {
    return offset;
  }
}
