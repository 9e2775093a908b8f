package io.vouch.tee.cbor;

/**
 * A byte string. For a definite-length string read from input, {@link #value()} is exactly the
 * content bytes received; an indefinite-length one is the concatenation of its chunks.
 */
public record CborByteString(byte[] value, Span span) implements CborItem {
  public CborByteString {
    value = value.clone();
  }

  public static CborByteString of(byte[] value) {
    return new CborByteString(value, Span.NONE);
  }

  /** A copy of the content bytes. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  public int length() {
    return value.length;
  }

  @Override
  public String kind() {
    return "byte string";
  }
}
