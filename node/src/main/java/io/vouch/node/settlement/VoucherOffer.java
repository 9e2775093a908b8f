package io.vouch.node.settlement;

import io.vouch.core.Address;
import io.vouch.core.crypto.Signature;
import java.math.BigInteger;
import java.util.Optional;

/**
 * A voucher as a client attached it to a request, not yet checked.
 *
 * @param node the node the client says it signed for; optional on the wire (the signature binds the
 *     node anyway), used only to explain a refusal
 */
public record VoucherOffer(
    Address payer, Optional<Address> node, BigInteger cumulativeAmount, Signature signature) {
  public VoucherOffer {
    if (cumulativeAmount.signum() <= 0) {
      throw new IllegalArgumentException(
          "voucher cumulativeAmount must be positive, got " + cumulativeAmount);
    }
  }
}
