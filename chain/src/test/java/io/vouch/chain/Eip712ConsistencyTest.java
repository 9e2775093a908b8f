package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.EnclaveKeyBinding;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.PaymentVoucher;
import io.vouch.core.eip712.Verdict;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Java core, the InferenceHub, the NodeRegistry and the VerificationCourt hash EIP-712 statements
 * identically.
 */
class Eip712ConsistencyTest extends DevChainTest {

  static Bytes32 random32(SplittableRandom r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return Bytes32.wrap(b);
  }

  @Test
  void domainSeparatorMatchesCore() throws Exception {
    assertThat(Bytes32.wrap(hub(stranger).domainSeparator().send()))
        .isEqualTo(deployment.domain().separator());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void receiptDigestMatchesCore(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    InferenceReceipt receipt =
        new InferenceReceipt(
            random32(r),
            random32(r),
            random32(r),
            random32(r),
            VerificationLevel.values()[r.nextInt(3)],
            random32(r),
            stranger.address(),
            r.nextLong(1L << 40),
            r.nextLong(Long.MAX_VALUE));

    byte[] onChain =
        hub(stranger)
            .receiptDigest(
                receipt.requestId().toArray(),
                receipt.modelId().toArray(),
                receipt.inputHash().toArray(),
                receipt.outputHash().toArray(),
                BigInteger.valueOf(receipt.level().code()),
                receipt.evidenceHash().toArray(),
                receipt.node().toHex(),
                BigInteger.valueOf(receipt.timestamp()),
                BigInteger.valueOf(receipt.sequence()))
            .send();

    assertThat(Bytes32.wrap(onChain)).isEqualTo(receipt.digest(deployment.domain()));
  }

  @Test
  void registryDomainSeparatorMatchesCore() throws Exception {
    assertThat(Bytes32.wrap(nodes(stranger).domainSeparator().send()))
        .isEqualTo(deployment.nodeRegistryDomain().separator());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void enclaveKeyBindingDigestMatchesCore(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    EnclaveKeyBinding binding = new EnclaveKeyBinding(randomAddress(r), randomAddress(r));

    byte[] onChain =
        nodes(stranger)
            .enclaveKeyBindingDigest(binding.node().toHex(), binding.enclaveKey().toHex())
            .send();

    assertThat(Bytes32.wrap(onChain)).isEqualTo(binding.digest(deployment.nodeRegistryDomain()));
  }

  static Address randomAddress(SplittableRandom r) {
    byte[] b = new byte[20];
    r.nextBytes(b);
    return Address.wrap(b);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void voucherDigestMatchesCore(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    PaymentVoucher v = new PaymentVoucher(payer.address(), node1.address(), random32(r).toUint());

    byte[] onChain =
        hub(stranger)
            .voucherDigest(v.payer().toHex(), v.node().toHex(), v.cumulativeAmount())
            .send();

    assertThat(Bytes32.wrap(onChain)).isEqualTo(v.digest(deployment.domain()));
  }

  @Test
  void courtDomainSeparatorMatchesCore() throws Exception {
    assertThat(Bytes32.wrap(deployment.verificationCourt(stranger).domainSeparator().send()))
        .isEqualTo(deployment.courtDomain().separator());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void verdictDigestMatchesCore(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    BigInteger requestId = BigInteger.valueOf(r.nextLong(1L << 40));
    Verdict v =
        new Verdict(
            Verdict.caseIdOf(requestId, 1 + r.nextInt(3)),
            requestId,
            random32(r),
            random32(r),
            r.nextBoolean(),
            r.nextInt(256));

    byte[] onChain =
        deployment
            .verificationCourt(stranger)
            .verdictDigest(
                new io.vouch.chain.contracts.VerificationCourt.Verdict(
                    v.caseId(),
                    v.requestId(),
                    v.outputHash().toArray(),
                    v.evidenceHash().toArray(),
                    v.valid(),
                    BigInteger.valueOf(v.round())))
            .send();

    assertThat(Bytes32.wrap(onChain)).isEqualTo(v.digest(deployment.courtDomain()));
  }
}
