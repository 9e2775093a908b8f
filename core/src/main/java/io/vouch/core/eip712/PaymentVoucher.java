package io.vouch.core.eip712;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import java.math.BigInteger;

/**
 * A requester's promise to pay a node from its deposit in the hub, for the direct path.
 *
 * <pre>Voucher(address payer,address node,uint256 cumulativeAmount)</pre>
 *
 * The amount is cumulative: each new voucher replaces the previous one, and the hub pays the node
 * the difference to what it already redeemed, so replaying an old voucher pays nothing.
 */
public record PaymentVoucher(Address payer, Address node, BigInteger cumulativeAmount)
    implements Eip712Struct {
  public static final String TYPE = "Voucher(address payer,address node,uint256 cumulativeAmount)";
  public static final Bytes32 TYPE_HASH = Keccak.hash(TYPE);

  @Override
  public Bytes32 structHash() {
    return new Words(TYPE_HASH).add(payer).add(node).add(cumulativeAmount).hash();
  }
}
