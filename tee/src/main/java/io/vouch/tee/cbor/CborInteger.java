package io.vouch.tee.cbor;

import java.math.BigInteger;

/** An unsigned (major type 0) or negative (major type 1) integer, in −2⁶⁴ … 2⁶⁴−1. */
public record CborInteger(BigInteger value, Span span) implements CborItem {
  static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  static final BigInteger MIN = BigInteger.ONE.shiftLeft(64).negate();

  public CborInteger {
    if (value.compareTo(MAX) > 0 || value.compareTo(MIN) < 0) {
      throw new IllegalArgumentException("CBOR integers lie in -2^64 .. 2^64-1, got " + value);
    }
  }

  public static CborInteger of(long value) {
    return new CborInteger(BigInteger.valueOf(value), Span.NONE);
  }

  @Override
  public String kind() {
    return value.signum() < 0 ? "negative integer" : "unsigned integer";
  }
}
