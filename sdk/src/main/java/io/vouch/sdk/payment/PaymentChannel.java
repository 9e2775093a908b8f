package io.vouch.sdk.payment;

import io.vouch.chain.tx.ContractRevertException;
import io.vouch.core.Address;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.PaymentVoucher;
import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.VouchClientException;
import io.vouch.sdk.chain.VouchContracts;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * The payer's side of direct-path payment: a deposit in the InferenceHub, and per node a running
 * cumulative total signed as a {@link PaymentVoucher}. Each voucher replaces the previous one for
 * that node; the hub pays the node the difference to what it already redeemed, at most the deposit.
 *
 * <p>The book refuses a voucher when the amounts promised and not yet redeemed, over all nodes,
 * would exceed the deposit: a node must be able to redeem every voucher it holds.
 *
 * <p>The book lives in memory. A new client starts each node's total at what that node already
 * redeemed on chain; a node that holds a later, higher voucher tells the client its total ({@link
 * #resume}), so a new voucher always exceeds the one the node holds.
 */
public final class PaymentChannel {
  private final VouchContracts contracts;
  private final Secp256k1.KeyPair key;
  private final Eip712Domain domain;
  private final Map<Address, BigInteger> cumulative = new HashMap<>(); // guarded by this

  public PaymentChannel(VouchContracts contracts, Secp256k1.KeyPair key) {
    this.contracts = contracts;
    this.key = key;
    this.domain = contracts.deployment().domain();
  }

  public Address payer() {
    return key.address();
  }

  /** Adds {@code wei} to this payer's deposit in the hub. */
  public DepositReceipt deposit(BigInteger wei) {
    if (wei.signum() <= 0) {
      throw new VouchClientException(
          ErrorCode.BAD_INPUT, "a deposit must be more than 0 wei, got " + wei);
    }
    var hub = contracts.hubAs("deposit");
    try {
      var receipt =
          VouchContracts.call("depositing " + wei + " wei", () -> hub.deposit(wei).send());
      return new DepositReceipt(receipt.getTransactionHash(), balance());
    } catch (ContractRevertException e) {
      throw new VouchClientException(
          ErrorCode.CHAIN_ERROR, "the hub refused the deposit: " + e.getMessage(), e);
    }
  }

  /** This payer's deposit in the hub now (what vouchers can draw on). */
  public BigInteger balance() {
    return VouchContracts.call(
        "reading the deposit of " + payer(),
        () -> contracts.hubView().depositOf(payer().toHex()).send());
  }

  /** What {@code node} has already redeemed from this payer on chain. */
  public BigInteger redeemedBy(Address node) {
    return VouchContracts.call(
        "reading what " + node + " redeemed",
        () -> contracts.hubView().redeemedOf(payer().toHex(), node.toHex()).send());
  }

  /**
   * Signs a voucher that pays {@code node} {@code amountWei} more than the previous one: the new
   * cumulative total is the old total plus {@code amountWei}.
   *
   * @throws VouchClientException BAD_INPUT when the unredeemed promises would exceed the deposit
   */
  public synchronized SignedVoucher voucherFor(Address node, BigInteger amountWei) {
    if (amountWei.signum() <= 0) {
      throw new VouchClientException(
          ErrorCode.BAD_INPUT, "a voucher must add more than 0 wei, got " + amountWei);
    }
    BigInteger next = total(node).add(amountWei);
    BigInteger outstanding = next.subtract(redeemedBy(node)).max(BigInteger.ZERO);
    for (var e : cumulative.entrySet()) {
      if (!e.getKey().equals(node)) {
        outstanding =
            outstanding.add(e.getValue().subtract(redeemedBy(e.getKey())).max(BigInteger.ZERO));
      }
    }
    BigInteger deposit = balance();
    if (outstanding.compareTo(deposit) > 0) {
      throw new VouchClientException(
          ErrorCode.BAD_INPUT,
          "vouchers not yet redeemed would come to "
              + outstanding
              + " wei but the deposit of "
              + payer()
              + " is "
              + deposit
              + " wei; deposit at least "
              + outstanding.subtract(deposit)
              + " wei more");
    }
    cumulative.put(node, next);
    PaymentVoucher v = new PaymentVoucher(payer(), node, next);
    return new SignedVoucher(v, v.sign(domain, key), domain);
  }

  /** The cumulative total signed for {@code node} so far (at least what it redeemed). */
  public synchronized BigInteger total(Address node) {
    BigInteger known = cumulative.get(node);
    if (known == null) {
      known = redeemedBy(node);
      cumulative.put(node, known);
    }
    return known;
  }

  /**
   * Continues {@code node}'s total from {@code heldCumulative}, the highest voucher the node says
   * it holds (after this client restarted). Never lowers a total.
   */
  public synchronized void resume(Address node, BigInteger heldCumulative) {
    cumulative.merge(node, heldCumulative, BigInteger::max);
  }
}
