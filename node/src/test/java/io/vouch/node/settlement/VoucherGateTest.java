package io.vouch.node.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.core.Address;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.PaymentVoucher;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.ModelRunner;
import io.vouch.node.journal.Journal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct path's payment check: a voucher pays when its payer signed it for this node in this
 * deployment, it adds at least the price to what the node holds, and the payer's channel covers
 * everything unredeemed; a paid voucher becomes the held one only at commit.
 */
class VoucherGateTest {
  static final Secp256k1.KeyPair PAYER = Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("payer"));
  static final Secp256k1.KeyPair THIEF = Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("thief"));
  static final Address NODE = Address.fromHex("0x00000000000000000000000000000000000000b0");
  static final Address OTHER_NODE = Address.fromHex("0x00000000000000000000000000000000000000b1");
  static final Eip712Domain DOMAIN = Eip712Domain.of(31337, StubHubChain.HUB);
  static final BigInteger PRICE = BigInteger.valueOf(100);

  @TempDir Path dir;

  final StubHubChain chain = new StubHubChain();
  BigInteger registeredPrice = BigInteger.valueOf(1_000);

  VoucherGate gate(boolean required) {
    return gate(required, Duration.ZERO);
  }

  /** A gate whose channel reads are trusted for {@code ttl}. */
  VoucherGate gate(boolean required, Duration ttl) {
    PayerChannels channels = new PayerChannels(chain.hub(), NODE, ttl);
    return new VoucherGate(journal(), DOMAIN, NODE, channels, () -> registeredPrice, required);
  }

  Journal journal;

  Journal journal() {
    if (journal == null) {
      journal = Journal.open(dir.resolve("journal"));
    }
    return journal;
  }

  static LoadedModel model(BigInteger price) {
    return new LoadedModel(
        Keccak.hash("m@1"),
        "m",
        1,
        "bafkreitest",
        java.util.Set.of(VerificationLevel.VANILLA),
        price,
        new ModelRunner() {
          @Override
          public List<String> inputNames() {
            return List.of("x");
          }

          @Override
          public List<String> outputNames() {
            return List.of("y");
          }

          @Override
          public NamedTensors run(NamedTensors inputs) {
            return inputs;
          }

          @Override
          public void close() {}
        });
  }

  static VoucherOffer voucher(Secp256k1.KeyPair signer, Address forNode, long cumulative) {
    BigInteger amount = BigInteger.valueOf(cumulative);
    return new VoucherOffer(
        PAYER.address(),
        Optional.empty(),
        amount,
        new PaymentVoucher(PAYER.address(), forNode, amount).sign(DOMAIN, signer));
  }

  void channelHolds(long balance) {
    chain.channel(
        PAYER.address(),
        new PayerChannels.Channel(
            BigInteger.valueOf(balance), BigInteger.ZERO, 0, BigInteger.ZERO));
  }

  static PaymentRequiredException refusal(Runnable r) {
    try {
      r.run();
    } catch (PaymentRequiredException e) {
      return e;
    }
    throw new AssertionError("expected a PaymentRequiredException");
  }

  @Test
  void withoutAVoucherAFreeModelOrAGateThatDoesNotRequireVouchersAdmitsFree() {
    assertThat(gate(true).admit(Optional.empty(), model(BigInteger.ZERO)))
        .isEqualTo(new VoucherGate.Admission.Free());
    assertThat(gate(false).admit(Optional.empty(), model(PRICE)))
        .isEqualTo(new VoucherGate.Admission.Free());
  }

  @Test
  void withoutAVoucherAPricedModelIsRefusedWithItsPrice() {
    PaymentRequiredException e = refusal(() -> gate(true).admit(Optional.empty(), model(PRICE)));

    assertThat(e.price()).isEqualTo(PRICE);
    assertThat(e.heldCumulative()).isZero();
    assertThat(e).hasMessageContaining("this node charges 100 wei per request for m@1");
  }

  @Test
  void thePriceIsTheModelsCappedByTheRegisteredPrice() {
    registeredPrice = BigInteger.valueOf(60);

    assertThat(gate(true).price(model(PRICE))).isEqualTo(BigInteger.valueOf(60));
    assertThat(gate(true).price(model(BigInteger.ZERO))).isZero();
  }

  @Test
  void aVoucherSignedByThePayerForThisNodeWithinItsChannelIsPaid() {
    channelHolds(1_000);

    VoucherGate.Admission a =
        gate(true).admit(Optional.of(voucher(PAYER, NODE, 100)), model(PRICE));

    assertThat(a).isInstanceOf(VoucherGate.Admission.Paid.class);
    assertThat(((VoucherGate.Admission.Paid) a).price()).isEqualTo(PRICE);
    assertThat(journal().voucher(PAYER.address())).as("held only at commit").isEmpty();
  }

  @Test
  void aVoucherSignedByAnotherKeyIsForged() {
    channelHolds(1_000);

    PaymentRequiredException e =
        refusal(() -> gate(true).admit(Optional.of(voucher(THIEF, NODE, 100)), model(PRICE)));

    assertThat(e)
        .hasMessageContaining("does not recover to payer " + PAYER.address())
        .hasMessageContaining("it recovers to " + THIEF.address());
  }

  @Test
  void aVoucherSignedForAnotherNodeDoesNotPayThisOne() {
    channelHolds(1_000);

    PaymentRequiredException e =
        refusal(() -> gate(true).admit(Optional.of(voucher(PAYER, OTHER_NODE, 100)), model(PRICE)));

    assertThat(e).hasMessageContaining("signed for another node or another deployment");
  }

  @Test
  void aVoucherNamingAnotherNodeIsRefusedSayingWhichNodeToSignFor() {
    VoucherOffer v = voucher(PAYER, NODE, 100);
    VoucherOffer naming =
        new VoucherOffer(v.payer(), Optional.of(OTHER_NODE), v.cumulativeAmount(), v.signature());

    assertThat(refusal(() -> gate(true).admit(Optional.of(naming), model(PRICE))))
        .hasMessageContaining("the voucher names node " + OTHER_NODE);
  }

  @Test
  void aCommittedVoucherIsHeldAndTheNextMustAddThePriceToIt() {
    channelHolds(1_000);
    VoucherGate gate = gate(true);
    gate.commit(gate.admit(Optional.of(voucher(PAYER, NODE, 100)), model(PRICE)));

    PaymentRequiredException e =
        refusal(() -> gate.admit(Optional.of(voucher(PAYER, NODE, 199)), model(PRICE)));

    assertThat(journal().voucher(PAYER.address()))
        .hasValueSatisfying(h -> assertThat(h.cumulativeAmount()).isEqualTo(100));
    assertThat(gate.heldCumulative(PAYER.address())).isEqualTo(BigInteger.valueOf(100));
    assertThat(e.heldCumulative()).isEqualTo(BigInteger.valueOf(100));
    assertThat(e.heldVoucher())
        .as("the payer's own signature on what the node holds")
        .hasValueSatisfying(h -> assertThat(h.cumulativeAmount()).isEqualTo(100));
    assertThat(e).hasMessageContaining("sign cumulativeAmount ≥ 200");
  }

  @Test
  void aReplayedVoucherPaysNothing() {
    channelHolds(1_000);
    VoucherGate gate = gate(true);
    gate.commit(gate.admit(Optional.of(voucher(PAYER, NODE, 100)), model(PRICE)));

    assertThat(refusal(() -> gate.admit(Optional.of(voucher(PAYER, NODE, 100)), model(PRICE))))
        .hasMessageContaining("adds 0 wei to the 100 wei this node already holds");
  }

  @Test
  void whatTheNodeRedeemedCountsAsHeld() {
    chain.channel(
        PAYER.address(),
        new PayerChannels.Channel(
            BigInteger.valueOf(1_000), BigInteger.ZERO, 0, BigInteger.valueOf(500)));

    assertThat(gate(true).heldCumulative(PAYER.address())).isEqualTo(BigInteger.valueOf(500));
    assertThat(
            refusal(() -> gate(true).admit(Optional.of(voucher(PAYER, NODE, 550)), model(PRICE))))
        .hasMessageContaining("sign cumulativeAmount ≥ 600");
  }

  @Test
  void aVoucherPromisingMoreThanTheChannelHoldsIsRefusedSayingHowMuchToLock() {
    channelHolds(50);

    assertThat(
            refusal(() -> gate(true).admit(Optional.of(voucher(PAYER, NODE, 100)), model(PRICE))))
        .hasMessageContaining("promises 100 wei not yet redeemed")
        .hasMessageContaining("holds 50 wei")
        .hasMessageContaining("lock at least 50 wei more");
  }

  @Test
  void fundsBeingUnlockedCannotBePromised() {
    chain.channel(
        PAYER.address(),
        new PayerChannels.Channel(
            BigInteger.valueOf(1_000), BigInteger.valueOf(950), 1_800_000_000L, BigInteger.ZERO));

    assertThat(
            refusal(() -> gate(true).admit(Optional.of(voucher(PAYER, NODE, 100)), model(PRICE))))
        .hasMessageContaining("of which 950 wei are being unlocked");
  }

  @Test
  void aChannelToppedUpSinceTheLastReadIsReadAgainBeforeARefusal() {
    channelHolds(50);
    VoucherGate gate = gate(true, Duration.ofHours(1));
    refusal(() -> gate.admit(Optional.of(voucher(PAYER, NODE, 100)), model(PRICE)));
    channelHolds(1_000);
    int readsBefore = chain.reads.get();

    assertThat(gate.admit(Optional.of(voucher(PAYER, NODE, 100)), model(PRICE)))
        .isInstanceOf(VoucherGate.Admission.Paid.class);
    assertThat(chain.reads.get() - readsBefore)
        .as("the cached read, then a fresh one")
        .isEqualTo(1);
  }

  @Test
  void ofTwoAdmissionsForTheSameAmountOnlyTheFirstCommits() {
    channelHolds(1_000);
    VoucherGate gate = gate(true);
    VoucherGate.Admission first = gate.admit(Optional.of(voucher(PAYER, NODE, 100)), model(PRICE));
    VoucherGate.Admission second = gate.admit(Optional.of(voucher(PAYER, NODE, 100)), model(PRICE));

    gate.commit(first);

    assertThat(refusal(() -> gate.commit(second)))
        .hasMessageContaining("a concurrent request of " + PAYER.address());
  }

  @Test
  void committingAFreeAdmissionHoldsNothing() {
    VoucherGate gate = gate(false);

    gate.commit(gate.admit(Optional.empty(), model(PRICE)));

    assertThat(journal().vouchers()).isEmpty();
    assertThat(chain.reads).hasValue(0);
  }

  @Test
  void aVoucherIsCheckedInThisDeploymentsDomain() {
    channelHolds(1_000);
    BigInteger amount = BigInteger.valueOf(100);
    Eip712Domain elsewhere = Eip712Domain.of(1, StubHubChain.HUB);
    VoucherOffer otherChain =
        new VoucherOffer(
            PAYER.address(),
            Optional.empty(),
            amount,
            new PaymentVoucher(PAYER.address(), NODE, amount).sign(elsewhere, PAYER));

    assertThat(refusal(() -> gate(true).admit(Optional.of(otherChain), model(PRICE))))
        .hasMessageContaining("in the domain of chain 31337");
  }
}
