package io.vouch.node.settlement;

import io.vouch.core.Address;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import java.math.BigInteger;

/**
 * A direct request the node will not run without (better) payment. Carries what a client needs to
 * sign an acceptable voucher: the price, the cumulative amount the node already holds from this
 * payer (a new voucher must exceed it by at least the price), and the node address to sign for.
 */
public final class PaymentRequiredException extends VouchException {
  private final BigInteger price;
  private final BigInteger heldCumulative;
  private final Address node;

  public PaymentRequiredException(
      String message, BigInteger price, BigInteger heldCumulative, Address node) {
    super(ErrorCode.PAYMENT_REQUIRED, message);
    this.price = price;
    this.heldCumulative = heldCumulative;
    this.node = node;
  }

  public BigInteger price() {
    return price;
  }

  public BigInteger heldCumulative() {
    return heldCumulative;
  }

  public Address node() {
    return node;
  }
}
