package io.vouch.sdk.payment;

import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.PaymentVoucher;

/**
 * A voucher and the payer's signature over it in {@code domain}: what a node keeps (the latest one
 * per payer) and later passes to {@code InferenceHub.redeemVoucher(payer, cumulativeAmount,
 * signature)}.
 */
public record SignedVoucher(PaymentVoucher voucher, Signature signature, Eip712Domain domain) {
  /** The 65-byte r ‖ s ‖ v signature the hub's {@code redeemVoucher} takes. */
  public byte[] signatureBytes() {
    return signature.toArray();
  }
}
