package io.vouch.tee;

import io.vouch.core.Address;
import io.vouch.core.Hex;
import io.vouch.core.crypto.Keccak;
import java.util.Arrays;

/**
 * How an enclave's secp256k1 signing key appears in its attestation document: {@code public_key} is
 * the SEC1 uncompressed point {@code 0x04 ‖ x ‖ y} (65 bytes), and the key's EVM address (what
 * {@code ecrecover} returns, what the NodeRegistry stores) is the last 20 bytes of {@code
 * keccak256(x ‖ y)}.
 */
public final class EnclaveKeys {
  public static final int UNCOMPRESSED_LENGTH = 65;
  private static final byte UNCOMPRESSED_PREFIX = 0x04;

  private EnclaveKeys() {}

  /** {@code 0x04 ‖ x ‖ y} from the 64-byte {@code x ‖ y} that core's key pair exposes. */
  public static byte[] uncompressed(byte[] xy) {
    if (xy.length != 64) {
      throw new IllegalArgumentException(
          "a secp256k1 public key x ‖ y has 64 bytes, got " + xy.length);
    }
    byte[] out = new byte[UNCOMPRESSED_LENGTH];
    out[0] = UNCOMPRESSED_PREFIX;
    System.arraycopy(xy, 0, out, 1, 64);
    return out;
  }

  /**
   * The address of an attested {@code public_key}.
   *
   * @throws IllegalArgumentException when the bytes are not a 65-byte uncompressed point
   */
  public static Address addressOf(byte[] uncompressed) {
    if (uncompressed.length != UNCOMPRESSED_LENGTH || uncompressed[0] != UNCOMPRESSED_PREFIX) {
      throw new IllegalArgumentException(
          "an enclave key is attested as a 65-byte uncompressed secp256k1 point (0x04 ‖ x ‖ y), got "
              + uncompressed.length
              + " bytes starting "
              + (uncompressed.length == 0
                  ? "with nothing"
                  : Hex.encode(new byte[] {uncompressed[0]})));
    }
    byte[] hash = Keccak.hash(Arrays.copyOfRange(uncompressed, 1, UNCOMPRESSED_LENGTH)).toArray();
    return Address.wrap(Arrays.copyOfRange(hash, 12, 32));
  }
}
