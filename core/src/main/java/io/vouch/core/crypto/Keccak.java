package io.vouch.core.crypto;

import io.vouch.core.Bytes32;
import org.web3j.crypto.Hash;

/** keccak256, the EVM's hash. */
public final class Keccak {
  private Keccak() {}

  public static Bytes32 hash(byte[] input) {
    return Bytes32.wrap(Hash.sha3(input));
  }

  public static Bytes32 hash(String utf8) {
    return hash(utf8.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
