package io.vouch.sdk.direct;

import io.vouch.core.Address;
import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.VouchClientException;
import java.math.BigInteger;

/**
 * A node answered {@code PAYMENT_REQUIRED} (HTTP 402): it charges {@link #priceWei()} per request
 * and holds vouchers from this payer up to {@link #heldCumulative()}; a new voucher for {@link
 * #node()} must exceed that by at least the price.
 */
public final class PaymentRequiredException extends VouchClientException {
  private final BigInteger priceWei;
  private final BigInteger heldCumulative;
  private final Address node;

  public PaymentRequiredException(
      String message, BigInteger priceWei, BigInteger heldCumulative, Address node) {
    super(ErrorCode.PAYMENT_REQUIRED, message);
    this.priceWei = priceWei;
    this.heldCumulative = heldCumulative;
    this.node = node;
  }

  public BigInteger priceWei() {
    return priceWei;
  }

  public BigInteger heldCumulative() {
    return heldCumulative;
  }

  public Address node() {
    return node;
  }
}
