package io.vouch.core.crypto;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * secp256k1 keys in the EVM's conventions: signatures recover to an address with {@code ecrecover}.
 * This is the one signer of the project; every signed statement goes through {@link #sign}.
 */
public final class Secp256k1 {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final BigInteger N = CURVE.getN();
  private static final FixedPointCombMultiplier G_MULTIPLIER = new FixedPointCombMultiplier();
  private static final BigInteger HALF_N = N.shiftRight(1);

  private Secp256k1() {}

  /** A private key and the address it controls. */
  public static final class KeyPair {
    private final ECKeyPair keyPair;
    private final Address address;

    private KeyPair(ECKeyPair keyPair) {
      this.keyPair = keyPair;
      this.address = Address.fromHex(Keys.getAddress(keyPair));
    }

    public static KeyPair fromPrivateKey(Bytes32 privateKey) {
      BigInteger d = privateKey.toUint();
      if (d.signum() == 0 || d.compareTo(N) >= 0) {
        throw new IllegalArgumentException("a secp256k1 private key must be in [1, n-1]");
      }
      return new KeyPair(ECKeyPair.create(d));
    }

    public static KeyPair generate(SecureRandom random) {
      while (true) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        BigInteger d = new BigInteger(1, b);
        if (d.signum() > 0 && d.compareTo(N) < 0) {
          return new KeyPair(ECKeyPair.create(d));
        }
      }
    }

    public Address address() {
      return address;
    }

    public Bytes32 privateKey() {
      return Bytes32.fromUint(keyPair.getPrivateKey());
    }

    /** Uncompressed public key without the 0x04 prefix (64 bytes: x ‖ y). */
    public byte[] publicKey() {
      byte[] raw = keyPair.getPublicKey().toByteArray();
      byte[] out = new byte[64];
      int copy = Math.min(raw.length, 64);
      System.arraycopy(raw, raw.length - copy, out, 64 - copy, copy);
      return out;
    }

    /**
     * Signs a 32-byte digest as is (no prefix is added): deterministic k (RFC 6979, HMAC-SHA256),
     * low s, v from R's y parity. Byte-identical to web3j's {@code Sign.signMessage}, which finds v
     * by trial public-key recovery (up to four extra point multiplications); here R = k·G with a
     * precomputed fixed-base comb gives v directly, so a signature costs one multiplication.
     */
    public Signature sign(Bytes32 digest) {
      BigInteger d = keyPair.getPrivateKey();
      byte[] z = digest.toArray();
      HMacDSAKCalculator kCalculator = new HMacDSAKCalculator(new SHA256Digest());
      kCalculator.init(N, d, z);
      BigInteger e = new BigInteger(1, z); // a 256-bit digest needs no truncation for a 256-bit n
      while (true) {
        BigInteger k = kCalculator.nextK();
        ECPoint big = G_MULTIPLIER.multiply(CURVE.getG(), k).normalize();
        BigInteger x = big.getAffineXCoord().toBigInteger();
        BigInteger r = x.mod(N);
        if (r.signum() == 0) {
          continue;
        }
        BigInteger s = k.modInverse(N).multiply(e.add(d.multiply(r))).mod(N);
        if (s.signum() == 0) {
          continue;
        }
        int recoveryId = big.getAffineYCoord().toBigInteger().testBit(0) ? 1 : 0;
        if (x.compareTo(N) >= 0) {
          recoveryId |= 2;
        }
        if (s.compareTo(HALF_N) > 0) {
          s = N.subtract(s); // (r, n - s) is the same signature for -R: flip the parity
          recoveryId ^= 1;
        }
        byte[] out = new byte[65];
        System.arraycopy(Bytes32.fromUint(r).toArray(), 0, out, 0, 32);
        System.arraycopy(Bytes32.fromUint(s).toArray(), 0, out, 32, 32);
        out[64] = (byte) (27 + recoveryId);
        return Signature.of(out);
      }
    }
  }

  /**
   * The address that signed {@code digest}, as {@code ecrecover} computes it.
   *
   * @throws InvalidSignatureException when the signature is malformed or uses a high s
   */
  public static Address recover(Bytes32 digest, Signature signature) {
    BigInteger r = signature.r().toUint();
    BigInteger s = signature.s().toUint();
    if (r.signum() == 0 || r.compareTo(N) >= 0 || s.signum() == 0 || s.compareTo(N) >= 0) {
      throw new InvalidSignatureException("signature r or s is out of range");
    }
    if (s.compareTo(HALF_N) > 0) {
      throw new InvalidSignatureException(
          "signature s is in the upper half of the curve order (malleable); re-sign with low s");
    }
    BigInteger key;
    try {
      key =
          Sign.recoverFromSignature(
              signature.v() - 27, new org.web3j.crypto.ECDSASignature(r, s), digest.toArray());
    } catch (IllegalArgumentException e) {
      // r is not the x coordinate of a curve point (a tampered signature, typically)
      throw new InvalidSignatureException("signature r is not on the curve: " + e.getMessage());
    }
    if (key == null) {
      throw new InvalidSignatureException("signature does not recover to any public key");
    }
    return Address.fromHex(Keys.getAddress(key));
  }

  /** Whether {@code signature} over {@code digest} was made by {@code signer}. */
  public static boolean verify(Bytes32 digest, Signature signature, Address signer) {
    try {
      return recover(digest, signature).equals(signer);
    } catch (InvalidSignatureException e) {
      return false;
    }
  }
}
