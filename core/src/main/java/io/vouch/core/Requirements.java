package io.vouch.core;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;

/**
 * What a requester asks of an inference: the weakest verification level it accepts, a latency
 * budget, the most it pays per request, and optionally one node it wants.
 */
public record Requirements(
    VerificationLevel minLevel,
    Duration maxLatency,
    BigInteger maxFeeWei,
    Optional<Address> preferredNode) {

  public Requirements {
    if (maxLatency.isNegative() || maxLatency.isZero()) {
      throw new IllegalArgumentException("maxLatency must be positive, got " + maxLatency);
    }
    if (maxFeeWei.signum() < 0) {
      throw new IllegalArgumentException("maxFeeWei must not be negative, got " + maxFeeWei);
    }
  }

  /** VANILLA or better, 10 s, at most 0.01 ETH. */
  public static Requirements defaults() {
    return new Requirements(
        VerificationLevel.VANILLA,
        Duration.ofSeconds(10),
        BigInteger.TEN.pow(16),
        Optional.empty());
  }

  public Requirements withMinLevel(VerificationLevel level) {
    return new Requirements(level, maxLatency, maxFeeWei, preferredNode);
  }

  public Requirements withMaxLatency(Duration latency) {
    return new Requirements(minLevel, latency, maxFeeWei, preferredNode);
  }

  public Requirements withMaxFeeWei(BigInteger fee) {
    return new Requirements(minLevel, maxLatency, fee, preferredNode);
  }

  public Requirements withPreferredNode(Address node) {
    return new Requirements(minLevel, maxLatency, maxFeeWei, Optional.of(node));
  }
}
