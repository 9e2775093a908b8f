package io.vouch.node.settlement;

import io.vouch.core.Address;
import io.vouch.core.crypto.Signature;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import java.math.BigInteger;
import java.util.Optional;

/**
 * A direct request the node will not run without (better) payment. Carries what a client needs to
 * sign an acceptable voucher: the price, the cumulative amount the node already holds from this
 * payer (a new voucher must exceed it by at least the price) with, when the node holds a voucher of
 * this payer, that voucher and the payer's signature on it (so that the client can check the amount
 * instead of believing it), and the node address to sign for.
 */
public final class PaymentRequiredException extends VouchException {
  /** A voucher the node holds: the payer signed {@code cumulativeAmount} for this node. */
  public record HeldVoucher(BigInteger cumulativeAmount, Signature signature) {}

  private final BigInteger price;
  private final BigInteger heldCumulative;
  private final Optional<HeldVoucher> heldVoucher;
  private final Address node;

  public PaymentRequiredException(
      String message,
      BigInteger price,
      BigInteger heldCumulative,
      Optional<HeldVoucher> heldVoucher,
      Address node) {
    super(ErrorCode.PAYMENT_REQUIRED, message);
    this.price = price;
    this.heldCumulative = heldCumulative;
    this.heldVoucher = heldVoucher;
    this.node = node;
  }

  public BigInteger price() {
    return price;
  }

  public BigInteger heldCumulative() {
    return heldCumulative;
  }

  public Optional<HeldVoucher> heldVoucher() {
    return heldVoucher;
  }

  public Address node() {
    return node;
  }
}
