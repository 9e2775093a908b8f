package io.vouch.node.settlement;

import java.math.BigInteger;
import java.time.Duration;

/**
 * How a node on chain is paid on the direct path and settles it.
 *
 * @param requireVouchers refuse a priced direct request without a voucher worth the price ({@code
 *     PAYMENT_REQUIRED}); a node that does not require them still accepts and redeems vouchers sent
 *     to it
 * @param batchSize post a receipt root once this many receipts are waiting
 * @param batchInterval post a receipt root once the oldest waiting receipt is this old
 * @param redeemThresholdWei redeem a payer's voucher once it is worth this much more than what was
 *     already redeemed
 * @param redeemInterval how often the redeemer looks at the held vouchers (payers taking channel
 *     funds back are looked for more often when the hub's unlock delay asks for it)
 * @param fundsCacheTtl how long a payer's channel to this node (and the node's registered price),
 *     read from chain, are trusted
 */
public record SettlementSettings(
    boolean requireVouchers,
    int batchSize,
    Duration batchInterval,
    BigInteger redeemThresholdWei,
    Duration redeemInterval,
    Duration fundsCacheTtl) {

  public SettlementSettings {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    if (batchInterval.isNegative() || batchInterval.isZero()) {
      throw new IllegalArgumentException("batchInterval must be positive, got " + batchInterval);
    }
    if (redeemInterval.isNegative() || redeemInterval.isZero()) {
      throw new IllegalArgumentException("redeemInterval must be positive, got " + redeemInterval);
    }
    if (redeemThresholdWei.signum() < 0) {
      throw new IllegalArgumentException("redeemThresholdWei must not be negative");
    }
    if (fundsCacheTtl.isNegative()) {
      throw new IllegalArgumentException("fundsCacheTtl must not be negative");
    }
  }

  /**
   * Vouchers required; a root per 1,000 receipts or every 10 minutes; redeem from 0.01 ETH owed per
   * payer, looked at every minute; chain reads trusted for 2 s.
   */
  public static SettlementSettings defaults() {
    return new SettlementSettings(
        true,
        1_000,
        Duration.ofMinutes(10),
        BigInteger.TEN.pow(16),
        Duration.ofMinutes(1),
        Duration.ofSeconds(2));
  }

  public SettlementSettings withRequireVouchers(boolean required) {
    return new SettlementSettings(
        required, batchSize, batchInterval, redeemThresholdWei, redeemInterval, fundsCacheTtl);
  }

  public SettlementSettings withBatching(int size, Duration interval) {
    return new SettlementSettings(
        requireVouchers, size, interval, redeemThresholdWei, redeemInterval, fundsCacheTtl);
  }

  public SettlementSettings withRedeeming(BigInteger thresholdWei, Duration interval) {
    return new SettlementSettings(
        requireVouchers, batchSize, batchInterval, thresholdWei, interval, fundsCacheTtl);
  }

  public SettlementSettings withFundsCacheTtl(Duration ttl) {
    return new SettlementSettings(
        requireVouchers, batchSize, batchInterval, redeemThresholdWei, redeemInterval, ttl);
  }
}
