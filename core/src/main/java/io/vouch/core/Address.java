package io.vouch.core;

import java.util.Arrays;
import java.util.Locale;

/** A 20-byte EVM account address. Immutable; prints lower-case {@code 0x…}. */
public final class Address implements Comparable<Address> {
  public static final Address ZERO = new Address(new byte[20]);

  private final byte[] bytes;

  private Address(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Address wrap(byte[] bytes) {
    if (bytes.length != 20) {
      throw new IllegalArgumentException("an address has 20 bytes, got " + bytes.length);
    }
    return new Address(bytes.clone());
  }

  public static Address fromHex(String hex) {
    byte[] b = Hex.decode(hex.trim());
    if (b.length != 20) {
      throw new IllegalArgumentException(
          "an address has 20 bytes (40 hex digits), got " + b.length + ": '" + hex + "'");
    }
    return new Address(b);
  }

  public byte[] toArray() {
    return bytes.clone();
  }

  public String toHex() {
    return Hex.prefixed(bytes).toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Address other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Address o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
