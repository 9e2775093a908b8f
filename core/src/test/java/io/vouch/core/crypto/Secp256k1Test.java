package io.vouch.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Secp256k1Test {
  // anvil's first development account: a published, well-known key/address pair.
  static final Bytes32 ANVIL_KEY_0 =
      Bytes32.fromHex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  static final Address ANVIL_ADDRESS_0 =
      Address.fromHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");

  static LongStream seeds() {
    return LongStream.range(1, 21);
  }

  @Test
  void privateKeyMapsToItsPublishedAddress() {
    assertThat(Secp256k1.KeyPair.fromPrivateKey(ANVIL_KEY_0).address()).isEqualTo(ANVIL_ADDRESS_0);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void signatureRecoversToTheSignerAndNoOtherDigest(long seed) throws Exception {
    SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
    rnd.setSeed(seed);
    Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(rnd);
    byte[] d = new byte[32];
    rnd.nextBytes(d);
    Bytes32 digest = Bytes32.wrap(d);

    Signature sig = key.sign(digest);

    assertThat(Secp256k1.recover(digest, sig)).isEqualTo(key.address());
    d[0] ^= 1;
    assertThat(Secp256k1.verify(Bytes32.wrap(d), sig, key.address())).isFalse();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void signaturesAreByteIdenticalToWeb3jsIndependentSigner(long seed) throws Exception {
    SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
    rnd.setSeed(seed * 7919);
    Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(rnd);
    byte[] d = new byte[32];
    rnd.nextBytes(d);

    org.web3j.crypto.Sign.SignatureData expected =
        org.web3j.crypto.Sign.signMessage(
            d, org.web3j.crypto.ECKeyPair.create(key.privateKey().toUint()), false);
    byte[] sig = key.sign(Bytes32.wrap(d)).toArray();

    assertThat(java.util.Arrays.copyOfRange(sig, 0, 32)).isEqualTo(expected.getR());
    assertThat(java.util.Arrays.copyOfRange(sig, 32, 64)).isEqualTo(expected.getS());
    assertThat(sig[64]).isEqualTo(expected.getV()[0]);
  }

  @Test
  void highSSignaturesAreRefusedAsMalleable() throws Exception {
    Secp256k1.KeyPair key = Secp256k1.KeyPair.fromPrivateKey(ANVIL_KEY_0);
    Bytes32 digest = Keccak.hash("x");
    Signature sig = key.sign(digest);
    BigInteger n =
        new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    byte[] b = sig.toArray();
    byte[] highS = Bytes32.fromUint(n.subtract(sig.s().toUint())).toArray();
    System.arraycopy(highS, 0, b, 32, 32);
    b[64] = (byte) (sig.v() == 27 ? 28 : 27);

    assertThatThrownBy(() -> Secp256k1.recover(digest, Signature.of(b)))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessageContaining("upper half");
  }

  @Test
  void aSignatureWhoseRIsNoCurvePointIsInvalidNotAnError() {
    Secp256k1.KeyPair key = Secp256k1.KeyPair.fromPrivateKey(ANVIL_KEY_0);
    Bytes32 digest = Keccak.hash("x");
    byte[] b = key.sign(digest).toArray();
    // x = 5: 5^3 + 7 is not a square modulo p, so no point has it as its x coordinate
    System.arraycopy(Bytes32.fromUint(BigInteger.valueOf(5)).toArray(), 0, b, 0, 32);

    assertThatThrownBy(() -> Secp256k1.recover(digest, Signature.of(b)))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessageContaining("not on the curve");
    assertThat(Secp256k1.verify(digest, Signature.of(b), key.address())).isFalse();
  }

  @Test
  void signatureOfWrongLengthIsRejected() {
    assertThatThrownBy(() -> Signature.of(new byte[64]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65 bytes");
  }
}
