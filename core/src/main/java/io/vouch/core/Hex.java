package io.vouch.core;

import java.util.HexFormat;

/** Hex text for bytes: lower case, with or without a {@code 0x} prefix on input. */
public final class Hex {
  private static final HexFormat FORMAT = HexFormat.of();

  private Hex() {}

  public static String encode(byte[] bytes) {
    return FORMAT.formatHex(bytes);
  }

  public static String prefixed(byte[] bytes) {
    return "0x" + FORMAT.formatHex(bytes);
  }

  /** Parses hex text; a leading {@code 0x} is allowed. */
  public static byte[] decode(String hex) {
    String s = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    if ((s.length() & 1) != 0) {
      throw new IllegalArgumentException(
          "hex text has an odd number of digits (" + s.length() + "): pad it with a leading 0");
    }
    try {
      return FORMAT.parseHex(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not hex text: '" + abbreviate(hex) + "'", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
