package io.vouch.hub.cid;

import java.io.ByteArrayOutputStream;

/**
 * The multiformats unsigned varint: 7 bits per byte, least significant group first, high bit set on
 * every byte but the last. As the spec demands, at most 9 bytes (63 bits) and only the minimal
 * encoding are accepted, so every value has exactly one byte form.
 */
public final class UnsignedVarint {
  /** Longest encoding the multiformats spec allows. */
  public static final int MAX_BYTES = 9;

  private UnsignedVarint() {}

  /** A decoded value and how many bytes it took. */
  public record Decoded(long value, int length) {}

  public static byte[] encode(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("unsigned varint holds 0..2^63-1, got " + value);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BYTES);
    long rest = value;
    while (rest >= 0x80) {
      out.write((int) ((rest & 0x7f) | 0x80));
      rest >>>= 7;
    }
    out.write((int) rest);
    return out.toByteArray();
  }

  /**
   * Decodes the varint that starts at {@code offset}.
   *
   * @throws InvalidCidException when the bytes end mid-varint, it is longer than 9 bytes, or it is
   *     not minimally encoded
   */
  public static Decoded decode(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      int at = offset + i;
      if (at >= bytes.length) {
        throw new InvalidCidException(
            "truncated varint at byte " + offset + ": the input ends before its last byte");
      }
      int b = bytes[at] & 0xff;
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new InvalidCidException(
              "non-minimal varint at byte "
                  + offset
                  + ": trailing zero group; use the shortest form");
        }
        return new Decoded(value, i + 1);
      }
    }
    throw new InvalidCidException(
        "varint at byte " + offset + " is longer than " + MAX_BYTES + " bytes (the spec maximum)");
  }
}
