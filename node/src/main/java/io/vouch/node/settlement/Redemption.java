package io.vouch.node.settlement;

import io.vouch.core.Address;
import java.math.BigInteger;

/**
 * One {@code redeemVoucher} the node made: the payer's voucher up to {@code cumulativeAmount} paid
 * {@code paidWei} ({@code shortfallWei} stays redeemable once the payer tops up its deposit).
 */
public record Redemption(
    Address payer,
    BigInteger cumulativeAmount,
    BigInteger paidWei,
    BigInteger shortfallWei,
    String txHash) {}
