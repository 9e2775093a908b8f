package io.vouch.tee.cbor;

import java.util.Arrays;

/**
 * Where a decoded item sits in the bytes it was read from, so that signatures can be checked over
 * the bytes exactly as received. Items built in code have {@link #NONE}.
 */
public record Span(byte[] source, int offset, int length) {
  public static final Span NONE = new Span(new byte[0], 0, 0);

  public Span {
    if (offset < 0 || length < 0 || offset + length > source.length) {
      throw new IllegalArgumentException(
          "span [" + offset + ", +" + length + ") lies outside a source of " + source.length);
    }
  }

  public int end() {
    return offset + length;
  }

  /** A copy of the item's encoded bytes as received (head and content). */
  public byte[] bytes() {
    return Arrays.copyOfRange(source, offset, offset + length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Span s && s.source == source && s.offset == offset && s.length == length;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * System.identityHashCode(source) + offset) + length;
  }

  @Override
  public String toString() {
    return "Span[" + offset + ", " + end() + ")";
  }
}
