package io.vouch.core;

import java.math.BigInteger;

/**
 * Numbers that arrive from the wire (HTTP bodies and headers, files from other parties), checked
 * before they are parsed: {@code new BigInteger(text)} costs time quadratic in the length of the
 * text, so a megabyte of digits in one field would cost seconds of CPU before anything else is
 * checked. Everything here refuses a text longer than the largest value it can hold, first.
 */
public final class WireNumbers {
  /** Decimal digits of 2^256 − 1, the largest uint256 (what vouchers and prices are on chain). */
  public static final int UINT256_DIGITS = 78;

  private static final BigInteger UINT256_MAX =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  private WireNumbers() {}

  /**
   * A non-negative decimal integer that fits a uint256 ({@code field} names it in the error).
   *
   * @throws IllegalArgumentException naming the field and the problem: not decimal digits, longer
   *     than {@value #UINT256_DIGITS} digits, or above 2^256 − 1
   */
  public static BigInteger uint256(String text, String field) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException(field + " is required: a decimal integer (wei)");
    }
    if (text.length() > UINT256_DIGITS) {
      throw new IllegalArgumentException(
          field
              + " has "
              + text.length()
              + " characters; a uint256 has at most "
              + UINT256_DIGITS
              + " decimal digits");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(
            field
                + " must be decimal digits only (no sign, spaces or exponent), got '"
                + text
                + "'");
      }
    }
    BigInteger v = new BigInteger(text);
    if (v.compareTo(UINT256_MAX) > 0) {
      throw new IllegalArgumentException(field + " is above 2^256 − 1, the largest uint256");
    }
    return v;
  }

  /**
   * A non-negative decimal integer that fits a signed 64-bit long ({@code field} names it in the
   * error).
   */
  public static long uint63(String text, String field) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException(field + " is required: a decimal integer");
    }
    if (text.length() > 19) {
      throw new IllegalArgumentException(
          field + " has " + text.length() + " characters; it must fit 19 decimal digits");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(
            field + " must be decimal digits only, got '" + text + "'");
      }
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " is above 2^63 − 1", e);
    }
  }
}
