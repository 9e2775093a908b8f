package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.eip712.PaymentVoucher;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.tuples.generated.Tuple4;

/**
 * The direct path's channels as a hostile payer would use them: funds locked for one node are
 * redeemable by that node only, and leave only through an unlock the node sees coming, so every
 * voucher a node accepted within its channel stays redeemable. The base class checks the hub's
 * books after every test.
 */
class DirectChannelTest extends DevChainTest {

  void fund(TransactionSender node, BigInteger wei) throws Exception {
    hub(payer).fundChannel(node.address().toHex(), BigInteger.ZERO, wei).send();
  }

  Tuple4<BigInteger, BigInteger, BigInteger, BigInteger> channel(TransactionSender node)
      throws Exception {
    return hub(stranger).channelOf(payer.address().toHex(), node.address().toHex()).send();
  }

  BigInteger redeem(TransactionSender node, BigInteger cumulative) throws Exception {
    PaymentVoucher v = new PaymentVoucher(payer.address(), node.address(), cumulative);
    var r =
        hub(node)
            .redeemVoucher(
                payer.address().toHex(),
                cumulative,
                v.sign(deployment.domain(), key(payer)).toArray())
            .send();
    return InferenceHub.getVoucherRedeemedEvents(r).getFirst().paid;
  }

  void passUnlockDelay() {
    anvil.increaseTime(PARAMETERS.channelUnlockDelaySeconds() + 1);
    anvil.mine();
  }

  // ------------------------------------------------------------------ the attacks of issue 9.2

  @Test
  void oneDepositCannotPayTwoNodes() throws Exception {
    // The payer locks D for node1 and signs vouchers for D to node1 and to node2: node2's channel
    // is empty, so a node2 that checks its channel (channelOf) refuses the voucher, and the chain
    // never pays node2 out of node1's funds.
    BigInteger d = NODE_PRICE.multiply(BigInteger.TEN);
    fund(node1, d);
    var forNode2 = channel(node2);
    assertThat(forNode2.component1()).as("node2's channel balance").isZero();

    assertReverts("InsufficientChannel", () -> redeem(node2, d));
    assertThat(redeem(node1, d)).as("node1 is paid all it accepted").isEqualTo(d);
  }

  @Test
  void aWithdrawalCannotBeArmedBeforeTheFundsArrive() throws Exception {
    // The old attack: arm the withdrawal timer on an empty deposit, wait, deposit, use the nodes,
    // withdraw in the same block. An unlock can only name funds already in the channel.
    var e =
        assertReverts(
            "InsufficientChannel",
            () -> hub(payer).requestUnlock(node1.address().toHex(), NODE_PRICE).send());
    assertThat(e.argument("available")).isEqualTo(BigInteger.ZERO);

    fund(node1, NODE_PRICE);
    hub(payer).requestUnlock(node1.address().toHex(), NODE_PRICE).send();
    fund(node1, NODE_PRICE.multiply(BigInteger.valueOf(5))); // added after the request
    passUnlockDelay();
    hub(payer).unlockChannel(node1.address().toHex()).send();

    assertThat(channel(node1).component1())
        .as("only what was in the channel when the unlock was asked leaves")
        .isEqualTo(NODE_PRICE.multiply(BigInteger.valueOf(5)));
    assertThat(redeem(node1, NODE_PRICE.multiply(BigInteger.valueOf(5))))
        .isEqualTo(NODE_PRICE.multiply(BigInteger.valueOf(5)));
  }

  @Test
  void anUnlockWaitsOutItsDelaySoTheNodeRedeemsFirst() throws Exception {
    BigInteger locked = NODE_PRICE.multiply(BigInteger.valueOf(4));
    fund(node1, locked);
    BigInteger accepted = NODE_PRICE.multiply(BigInteger.valueOf(3)); // vouchers node1 holds
    hub(payer).requestUnlock(node1.address().toHex(), locked).send();

    var pending = channel(node1);
    assertThat(pending.component2()).as("unlocking, visible to the node").isEqualTo(locked);
    assertThat(pending.component3().longValueExact()).isGreaterThan(now());
    var early =
        assertReverts(
            "UnlockNotDue", () -> hub(payer).unlockChannel(node1.address().toHex()).send());
    assertThat(early.argument("unlockAt")).isEqualTo(pending.component3());

    assertThat(redeem(node1, accepted)).as("the node redeems within the delay").isEqualTo(accepted);
    passUnlockDelay();
    hub(payer).unlockChannel(node1.address().toHex()).send();

    assertThat(channel(node1).component1()).isZero();
    assertThat(hub(stranger).depositOf(payer.address().toHex()).send())
        .as("the rest is back in the free deposit")
        .isEqualTo(locked.subtract(accepted));
    hub(payer).withdrawDeposit(locked.subtract(accepted)).send();
  }

  @Test
  void aNewUnlockRequestRestartsTheDelay() throws Exception {
    fund(node1, NODE_PRICE);
    hub(payer).requestUnlock(node1.address().toHex(), NODE_PRICE).send();
    anvil.increaseTime(PARAMETERS.channelUnlockDelaySeconds() - 10);
    anvil.mine();
    hub(payer).requestUnlock(node1.address().toHex(), BigInteger.ONE).send();
    anvil.increaseTime(20);
    anvil.mine();
    assertReverts("UnlockNotDue", () -> hub(payer).unlockChannel(node1.address().toHex()).send());
    assertThat(channel(node1).component2()).isEqualTo(BigInteger.ONE);
  }

  // ------------------------------------------------------------------ the rest of the channel

  @Test
  void freeDepositsWithdrawAtOnceAndFundChannelsFromTheDeposit() throws Exception {
    hub(payer).deposit(ETH).send();
    hub(payer).withdrawDeposit(NODE_PRICE).send();
    hub(payer)
        .fundChannel(node1.address().toHex(), NODE_PRICE.multiply(BigInteger.TWO), BigInteger.ONE)
        .send();

    assertThat(hub(stranger).depositOf(payer.address().toHex()).send())
        .isEqualTo(ETH.subtract(NODE_PRICE.multiply(BigInteger.valueOf(3))));
    assertThat(channel(node1).component1())
        .isEqualTo(NODE_PRICE.multiply(BigInteger.TWO).add(BigInteger.ONE));
    assertReverts("InsufficientDeposit", () -> hub(payer).withdrawDeposit(ETH).send());
    assertReverts(
        "InsufficientDeposit",
        () -> hub(payer).fundChannel(node1.address().toHex(), ETH, BigInteger.ZERO).send());
  }

  @Test
  void aChannelOnlyOpensToARegisteredNode() {
    assertReverts(
        "NotRegisteredNode",
        () -> hub(payer).fundChannel(stranger.address().toHex(), BigInteger.ZERO, ETH).send());
    assertReverts(
        "ZeroAmount",
        () ->
            hub(payer)
                .fundChannel(node1.address().toHex(), BigInteger.ZERO, BigInteger.ZERO)
                .send());
  }

  @Test
  void unlockingWithNothingPendingReverts() {
    assertReverts(
        "NoUnlockPending", () -> hub(payer).unlockChannel(node1.address().toHex()).send());
    assertReverts(
        "ZeroAmount",
        () -> hub(payer).requestUnlock(node1.address().toHex(), BigInteger.ZERO).send());
  }

  @Test
  void aRedemptionDuringAnUnlockLeavesTheUnlockTheRest() throws Exception {
    fund(node1, NODE_PRICE.multiply(BigInteger.TWO));
    hub(payer).requestUnlock(node1.address().toHex(), NODE_PRICE.multiply(BigInteger.TWO)).send();
    redeem(node1, NODE_PRICE.multiply(BigInteger.valueOf(3))); // asks more than is there
    passUnlockDelay();
    hub(payer).unlockChannel(node1.address().toHex()).send();
    assertThat(hub(stranger).depositOf(payer.address().toHex()).send()).isZero();
    assertThat(channel(node1).component4()).isEqualTo(NODE_PRICE.multiply(BigInteger.TWO));
  }
}
