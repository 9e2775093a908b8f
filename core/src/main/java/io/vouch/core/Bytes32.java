package io.vouch.core;

import java.math.BigInteger;
import java.util.Arrays;

/** A 32-byte value: hashes, request ids, model ids. Immutable. */
public final class Bytes32 implements Comparable<Bytes32> {
  public static final Bytes32 ZERO = new Bytes32(new byte[32]);

  private final byte[] bytes;

  private Bytes32(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Bytes32 wrap(byte[] bytes) {
    if (bytes.length != 32) {
      throw new IllegalArgumentException("expected 32 bytes, got " + bytes.length);
    }
    return new Bytes32(bytes.clone());
  }

  public static Bytes32 fromHex(String hex) {
    byte[] b = Hex.decode(hex);
    if (b.length != 32) {
      throw new IllegalArgumentException(
          "expected 32 bytes (64 hex digits), got " + b.length + " bytes: " + hex);
    }
    return new Bytes32(b);
  }

  /**
   * Big-endian 256-bit encoding of a non-negative integer (as Solidity's {@code bytes32(uint)}).
   */
  public static Bytes32 fromUint(BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalArgumentException("value does not fit in uint256: " + value);
    }
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return new Bytes32(out);
  }

  public BigInteger toUint() {
    return new BigInteger(1, bytes);
  }

  public byte[] toArray() {
    return bytes.clone();
  }

  public String toHex() {
    return Hex.prefixed(bytes);
  }

  public boolean isZero() {
    return equals(ZERO);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes32 other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Bytes32 o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
