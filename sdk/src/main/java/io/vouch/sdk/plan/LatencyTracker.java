package io.vouch.sdk.plan;

import io.vouch.core.Address;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Observed latency per node: an exponentially weighted moving average of successful calls, with
 * failures counted as a penalty so that a failing node drops in the ranking until it recovers.
 */
public final class LatencyTracker {
  private static final double ALPHA = 0.2;
  private final Map<Address, Double> ewmaMicros = new ConcurrentHashMap<>();
  private final Duration failurePenalty;

  public LatencyTracker(Duration failurePenalty) {
    this.failurePenalty = failurePenalty;
  }

  public void success(Address node, Duration latency) {
    observe(node, latency.toNanos() / 1_000.0);
  }

  public void failure(Address node) {
    observe(node, failurePenalty.toNanos() / 1_000.0);
  }

  private void observe(Address node, double micros) {
    ewmaMicros.merge(node, micros, (old, now) -> old + ALPHA * (now - old));
  }

  /** The average in microseconds, or empty when the node was never called. */
  public OptionalLong averageMicros(Address node) {
    Double v = ewmaMicros.get(node);
    return v == null ? OptionalLong.empty() : OptionalLong.of(Math.round(v));
  }
}
