package io.vouch.core.eip712;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.Hex;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.InvalidSignatureException;
import io.vouch.core.crypto.Secp256k1;
import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.crypto.StructuredDataEncoder;

/** Our EIP-712 hashing is checked against web3j's independent, generic implementation. */
class Eip712Test {

  static LongStream seeds() {
    return LongStream.range(100, 125);
  }

  static Bytes32 random32(SplittableRandom r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return Bytes32.wrap(b);
  }

  static Address random20(SplittableRandom r) {
    byte[] b = new byte[20];
    r.nextBytes(b);
    return Address.wrap(b);
  }

  static InferenceReceipt randomReceipt(SplittableRandom r) {
    return new InferenceReceipt(
        random32(r),
        random32(r),
        random32(r),
        random32(r),
        VerificationLevel.values()[r.nextInt(3)],
        random32(r),
        random20(r),
        r.nextLong(0, 1L << 40),
        r.nextLong(0, Long.MAX_VALUE));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void receiptDigestMatchesAnIndependentEip712Encoder(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    InferenceReceipt receipt = randomReceipt(r);
    Eip712Domain domain = Eip712Domain.of(r.nextLong(1, 1L << 32), random20(r));

    String json =
        """
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
          {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
         "Receipt":[{"name":"requestId","type":"bytes32"},{"name":"modelId","type":"bytes32"},
          {"name":"inputHash","type":"bytes32"},{"name":"outputHash","type":"bytes32"},
          {"name":"level","type":"uint8"},{"name":"evidenceHash","type":"bytes32"},
          {"name":"node","type":"address"},{"name":"timestamp","type":"uint64"},
          {"name":"sequence","type":"uint64"}]},
         "primaryType":"Receipt",
         "domain":{"name":"Vouch","version":"1","chainId":%d,"verifyingContract":"%s"},
         "message":{"requestId":"%s","modelId":"%s","inputHash":"%s","outputHash":"%s","level":%d,
          "evidenceHash":"%s","node":"%s","timestamp":%d,"sequence":%d}}
        """
            .formatted(
                domain.chainId(),
                domain.verifyingContract(),
                receipt.requestId(),
                receipt.modelId(),
                receipt.inputHash(),
                receipt.outputHash(),
                receipt.level().code(),
                receipt.evidenceHash(),
                receipt.node(),
                receipt.timestamp(),
                receipt.sequence());
    byte[] expected = new StructuredDataEncoder(json).hashStructuredData();

    assertThat(receipt.digest(domain).toHex()).isEqualTo(Hex.prefixed(expected));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void voucherDigestMatchesAnIndependentEip712Encoder(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    PaymentVoucher v =
        new PaymentVoucher(
            random20(r), random20(r), new BigInteger(200, new java.util.Random(seed)));
    Eip712Domain domain = Eip712Domain.of(31337, random20(r));
    String json =
        """
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
          {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
         "Voucher":[{"name":"payer","type":"address"},{"name":"node","type":"address"},
          {"name":"cumulativeAmount","type":"uint256"}]},
         "primaryType":"Voucher",
         "domain":{"name":"Vouch","version":"1","chainId":31337,"verifyingContract":"%s"},
         "message":{"payer":"%s","node":"%s","cumulativeAmount":"%s"}}
        """
            .formatted(domain.verifyingContract(), v.payer(), v.node(), v.cumulativeAmount());

    assertThat(v.digest(domain).toHex())
        .isEqualTo(Hex.prefixed(new StructuredDataEncoder(json).hashStructuredData()));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void enclaveKeyBindingDigestMatchesAnIndependentEip712Encoder(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    EnclaveKeyBinding b = new EnclaveKeyBinding(random20(r), random20(r));
    Eip712Domain registry = Eip712Domain.of(r.nextLong(1, 1L << 32), random20(r));
    String json =
        """
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
          {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
         "EnclaveKeyBinding":[{"name":"node","type":"address"},{"name":"enclaveKey","type":"address"}]},
         "primaryType":"EnclaveKeyBinding",
         "domain":{"name":"Vouch","version":"1","chainId":%d,"verifyingContract":"%s"},
         "message":{"node":"%s","enclaveKey":"%s"}}
        """
            .formatted(registry.chainId(), registry.verifyingContract(), b.node(), b.enclaveKey());

    assertThat(b.digest(registry).toHex())
        .isEqualTo(Hex.prefixed(new StructuredDataEncoder(json).hashStructuredData()));
  }

  @Test
  void receiptSignedForAnotherChainIsRefusedNamingTheDomain() {
    SplittableRandom r = new SplittableRandom(7);
    Secp256k1.KeyPair node = Secp256k1.KeyPair.generate(new java.security.SecureRandom());
    InferenceReceipt receipt = randomReceipt(r);
    Address hub = random20(r);
    SignedReceipt signed = new SignedReceipt(receipt, receipt.sign(Eip712Domain.of(1, hub), node));

    signed.requireSignedBy(Eip712Domain.of(1, hub), node.address());
    assertThatThrownBy(() -> signed.requireSignedBy(Eip712Domain.of(31337, hub), node.address()))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessageContaining("chainId=31337");
  }

  @Test
  void receiptSignedForAnotherHubIsRefused() {
    SplittableRandom r = new SplittableRandom(8);
    Secp256k1.KeyPair node = Secp256k1.KeyPair.generate(new java.security.SecureRandom());
    InferenceReceipt receipt = randomReceipt(r);
    SignedReceipt signed =
        new SignedReceipt(receipt, receipt.sign(Eip712Domain.of(1, random20(r)), node));

    assertThatThrownBy(
            () -> signed.requireSignedBy(Eip712Domain.of(1, random20(r)), node.address()))
        .isInstanceOf(InvalidSignatureException.class);
  }
}
