package io.vouch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.chain.EscrowBooks;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.core.Address;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.payment.PaymentChannel;
import io.vouch.sdk.payment.SignedVoucher;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Deposits and cumulative vouchers, redeemed by a node on the real hub contract. */
class PaymentChannelTest {
  static Devnet devnet;

  @BeforeAll
  static void start() {
    devnet = Devnet.get();
  }

  BigInteger redeem(Devnet.TestNode node, SignedVoucher v) throws Exception {
    TransactionReceipt r =
        devnet
            .deployment
            .inferenceHub(devnet.sender(devnet.fund(node.key())))
            .redeemVoucher(
                v.voucher().payer().toHex(), v.voucher().cumulativeAmount(), v.signatureBytes())
            .send();
    return InferenceHub.getVoucherRedeemedEvents(r).getFirst().paid;
  }

  /** Escrow is conserved after every test: the hub's and the court's books (chain's test-jar). */
  EscrowBooks books;

  @BeforeEach
  void openTheBooks() throws Exception {
    books = devnet.books();
  }

  @AfterEach
  void escrowIsConserved() throws Exception {
    books.assertBalanced();
  }

  @Test
  void aDepositRaisesThePayersBalanceInTheHub() {
    try (VouchClient c = devnet.client(devnet.fundedKey("payer-deposit"))) {
      var receipt = c.payments().deposit(BigInteger.valueOf(1_000));

      assertThat(receipt.balanceWei()).isEqualTo(BigInteger.valueOf(1_000));
      assertThat(c.payments().balance()).isEqualTo(BigInteger.valueOf(1_000));
    }
  }

  @Test
  void eachVoucherPaysTheNodeTheIncreaseOverThePreviousOne() throws Exception {
    try (VouchClient c = devnet.client(devnet.fundedKey("payer-redeem"))) {
      PaymentChannel pay = c.payments();
      pay.deposit(BigInteger.valueOf(10_000));

      SignedVoucher first = pay.voucherFor(devnet.nodeA.address(), BigInteger.valueOf(300));
      assertThat(redeem(devnet.nodeA, first)).isEqualTo(BigInteger.valueOf(300));
      SignedVoucher second = pay.voucherFor(devnet.nodeA.address(), BigInteger.valueOf(200));

      assertThat(second.voucher().cumulativeAmount()).isEqualTo(BigInteger.valueOf(500));
      assertThat(redeem(devnet.nodeA, second)).isEqualTo(BigInteger.valueOf(200));
      assertThat(pay.channel(devnet.nodeA.address()).balance())
          .as("the first voucher locked 10 requests ahead")
          .isEqualTo(BigInteger.valueOf(2_500));
      assertThat(pay.balance()).isEqualTo(BigInteger.valueOf(7_000));
    }
  }

  @Test
  void aNewClientContinuesFromWhatTheNodeRedeemed() throws Exception {
    Secp256k1.KeyPair payer = devnet.fundedKey("payer-restart");
    try (VouchClient before = devnet.client(payer)) {
      before.payments().deposit(BigInteger.valueOf(10_000));
      redeem(devnet.nodeB, before.payments().voucherFor(devnet.nodeB.address(), BigInteger.TEN));
    }
    try (VouchClient after = devnet.client(payer)) {
      SignedVoucher next = after.payments().voucherFor(devnet.nodeB.address(), BigInteger.TEN);

      assertThat(next.voucher().cumulativeAmount()).isEqualTo(BigInteger.valueOf(20));
      assertThat(redeem(devnet.nodeB, next)).isEqualTo(BigInteger.TEN);
    }
  }

  @Test
  void vouchersBeyondTheDepositAreRefusedWithTheAmountMissing() {
    try (VouchClient c = devnet.client(devnet.fundedKey("payer-short"))) {
      c.payments().requestsPerFunding(1).deposit(BigInteger.valueOf(100));
      Address a = devnet.nodeA.address();
      Address b = devnet.nodeB.address();
      c.payments().voucherFor(a, BigInteger.valueOf(60));

      assertThatThrownBy(() -> c.payments().voucherFor(b, BigInteger.valueOf(50)))
          .isInstanceOfSatisfying(
              VouchClientException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT))
          .hasMessageContaining("deposit at least 10 wei more");
    }
  }

  @Test
  void aChannelIsFundedForRequestsAheadFromTheFreeDeposit() {
    try (VouchClient c = devnet.client(devnet.fundedKey("payer-ahead"))) {
      PaymentChannel pay = c.payments().requestsPerFunding(10);
      pay.deposit(BigInteger.valueOf(1_000));
      pay.voucherFor(devnet.nodeB.address(), BigInteger.valueOf(7));

      assertThat(pay.channel(devnet.nodeB.address()).balance()).isEqualTo(BigInteger.valueOf(70));
      assertThat(pay.balance()).isEqualTo(BigInteger.valueOf(930));
      for (int i = 0; i < 9; i++) {
        pay.voucherFor(devnet.nodeB.address(), BigInteger.valueOf(7));
      }
      assertThat(pay.balance())
          .as("ten vouchers fit the first top-up")
          .isEqualTo(BigInteger.valueOf(930));
      pay.voucherFor(devnet.nodeB.address(), BigInteger.valueOf(7));
      assertThat(pay.channel(devnet.nodeB.address()).balance()).isEqualTo(BigInteger.valueOf(140));
    }
  }

  @Test
  void aHeldAmountIsResumedOnlyWithThePayersOwnSignature() {
    try (VouchClient c = devnet.client(devnet.fundedKey("payer-resume"))) {
      PaymentChannel pay = c.payments();
      Address node = devnet.nodeA.address();
      var forged =
          new io.vouch.core.eip712.PaymentVoucher(pay.payer(), node, BigInteger.valueOf(900))
              .sign(devnet.deployment.domain(), Devnet.key("not-the-payer"));
      var otherNode =
          new io.vouch.core.eip712.PaymentVoucher(
                  pay.payer(), devnet.nodeB.address(), BigInteger.valueOf(900))
              .sign(devnet.deployment.domain(), devnet.fundedKey("payer-resume"));
      var genuine =
          new io.vouch.core.eip712.PaymentVoucher(pay.payer(), node, BigInteger.valueOf(900))
              .sign(devnet.deployment.domain(), devnet.fundedKey("payer-resume"));

      assertThat(pay.resume(node, BigInteger.valueOf(900), forged)).isFalse();
      assertThat(pay.resume(node, BigInteger.valueOf(900), otherNode)).isFalse();
      assertThat(pay.total(node)).isZero();
      assertThat(pay.resume(node, BigInteger.valueOf(900), genuine)).isTrue();
      assertThat(pay.total(node)).isEqualTo(BigInteger.valueOf(900));
    }
  }

  @Test
  void aRefusedVoucherIsNotCounted() {
    try (VouchClient c = devnet.client(devnet.fundedKey("payer-refused"))) {
      PaymentChannel pay = c.payments();
      pay.deposit(BigInteger.valueOf(1_000));
      SignedVoucher v = pay.voucherFor(devnet.nodeA.address(), BigInteger.TEN);
      pay.refused(v, BigInteger.TEN);

      assertThat(
              pay.voucherFor(devnet.nodeA.address(), BigInteger.TEN).voucher().cumulativeAmount())
          .isEqualTo(BigInteger.TEN);
    }
  }

  @Test
  void aReadOnlyClientHasNoPayments() {
    try (VouchClient c = devnet.readOnlyClient()) {
      assertThatThrownBy(c::payments).hasMessageContaining("payments need a key");
    }
  }
}
