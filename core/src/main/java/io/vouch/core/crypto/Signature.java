package io.vouch.core.crypto;

import io.vouch.core.Bytes32;
import io.vouch.core.Hex;
import java.util.Arrays;

/**
 * A recoverable secp256k1 signature in the EVM layout: r (32) ‖ s (32) ‖ v (1, 27 or 28), with s in
 * the lower half of the curve order (as OpenZeppelin's ECDSA and the hub require).
 */
public final class Signature {
  private final byte[] bytes;

  private Signature(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Signature of(byte[] rsv) {
    if (rsv.length != 65) {
      throw new IllegalArgumentException("a signature has 65 bytes (r ‖ s ‖ v), got " + rsv.length);
    }
    int v = rsv[64] & 0xff;
    if (v != 27 && v != 28) {
      throw new IllegalArgumentException("signature v must be 27 or 28, got " + v);
    }
    return new Signature(rsv.clone());
  }

  public static Signature fromHex(String hex) {
    return of(Hex.decode(hex));
  }

  public Bytes32 r() {
    return Bytes32.wrap(Arrays.copyOfRange(bytes, 0, 32));
  }

  public Bytes32 s() {
    return Bytes32.wrap(Arrays.copyOfRange(bytes, 32, 64));
  }

  public int v() {
    return bytes[64] & 0xff;
  }

  public byte[] toArray() {
    return bytes.clone();
  }

  public String toHex() {
    return Hex.prefixed(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Signature s && Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
