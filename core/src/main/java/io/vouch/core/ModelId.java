package io.vouch.core;

import io.vouch.core.crypto.Keccak;
import java.nio.charset.StandardCharsets;

/**
 * Model ids as the ModelRegistry computes them: {@code keccak256(abi.encode(string name, uint32
 * version))}. A name's versions are immutable, so the id names one exact model file.
 */
public final class ModelId {
  private ModelId() {}

  public static Bytes32 of(String name, int version) {
    if (version <= 0) {
      throw new IllegalArgumentException("model versions start at 1, got " + version);
    }
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    int padded = (utf8.length + 31) / 32 * 32;
    byte[] enc = new byte[32 * 3 + padded];
    enc[31] = 0x40; // offset of the string's tail, after the two head words
    Bytes32 v = Bytes32.fromUint(java.math.BigInteger.valueOf(version));
    System.arraycopy(v.toArray(), 0, enc, 32, 32);
    Bytes32 len = Bytes32.fromUint(java.math.BigInteger.valueOf(utf8.length));
    System.arraycopy(len.toArray(), 0, enc, 64, 32);
    System.arraycopy(utf8, 0, enc, 96, utf8.length);
    return Keccak.hash(enc);
  }

  /** Parses {@code name@version}. */
  public static Bytes32 ofRef(String ref) {
    int at = ref.lastIndexOf('@');
    if (at <= 0 || at == ref.length() - 1) {
      throw new IllegalArgumentException("a model reference is name@version, got '" + ref + "'");
    }
    try {
      return of(ref.substring(0, at), Integer.parseInt(ref.substring(at + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the version in '" + ref + "' must be a whole number (name@version)");
    }
  }
}
