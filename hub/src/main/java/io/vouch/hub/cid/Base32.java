package io.vouch.hub.cid;

/**
 * RFC 4648 base32, lower-case alphabet, no padding: the body of a multibase {@code 'b'} string.
 * Decoding is strict (one string per byte sequence): upper case, padding and non-zero trailing bits
 * are rejected, so that a CID has exactly one text form.
 */
public final class Base32 {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final int[] VALUES = new int[128];

  static {
    java.util.Arrays.fill(VALUES, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      VALUES[ALPHABET[i]] = i;
    }
  }

  private Base32() {}

  public static String encode(byte[] bytes) {
    StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET[(buffer >>> (bits - 5)) & 0x1f]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET[(buffer << (5 - bits)) & 0x1f]);
    }
    return out.toString();
  }

  /**
   * @throws InvalidCidException on a character outside {@code a-z2-7}, an impossible length or
   *     non-zero trailing bits
   */
  public static byte[] decode(CharSequence text) {
    int length = text.length();
    int byteCount = length * 5 / 8;
    // A 1, 3 or 6 character tail cannot come from whole bytes.
    int tail = length % 8;
    if (tail == 1 || tail == 3 || tail == 6) {
      throw new InvalidCidException(
          "base32 text of length " + length + " cannot encode whole bytes; was it truncated?");
    }
    byte[] out = new byte[byteCount];
    int buffer = 0;
    int bits = 0;
    int written = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      int value = c < 128 ? VALUES[c] : -1;
      if (value < 0) {
        throw new InvalidCidException(
            "character '"
                + c
                + "' at position "
                + i
                + " is not lower-case base32 (a-z, 2-7, no padding)");
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out[written++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    if ((buffer & ((1 << bits) - 1)) != 0) {
      throw new InvalidCidException(
          "base32 text has non-zero trailing bits: not the canonical encoding of any bytes");
    }
    return out;
  }
}
