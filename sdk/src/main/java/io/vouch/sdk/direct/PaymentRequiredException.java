package io.vouch.sdk.direct;

import io.vouch.core.Address;
import io.vouch.core.crypto.Signature;
import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.VouchClientException;
import java.math.BigInteger;
import java.util.Optional;

/**
 * A node answered {@code PAYMENT_REQUIRED} (HTTP 402): it asks {@link #priceWei()} per request and
 * says it holds vouchers from this payer up to {@link #heldCumulative()}. Both are claims of the
 * node: the client pays at most the node's registered price, and continues from a held amount only
 * when {@link #heldVoucher()} carries the payer's own signature on it.
 */
public final class PaymentRequiredException extends VouchClientException {
  /** The voucher the node says it holds, with the signature that proves the payer signed it. */
  public record HeldVoucher(BigInteger cumulativeAmount, Signature signature) {}

  private final BigInteger priceWei;
  private final BigInteger heldCumulative;
  private final Optional<HeldVoucher> heldVoucher;
  private final Address node;

  public PaymentRequiredException(
      String message,
      BigInteger priceWei,
      BigInteger heldCumulative,
      Optional<HeldVoucher> heldVoucher,
      Address node) {
    super(ErrorCode.PAYMENT_REQUIRED, message);
    this.priceWei = priceWei;
    this.heldCumulative = heldCumulative;
    this.heldVoucher = heldVoucher;
    this.node = node;
  }

  public BigInteger priceWei() {
    return priceWei;
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
