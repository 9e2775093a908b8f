package io.vouch.sdk.plan;

import io.vouch.core.Address;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Observed latency per node: an exponentially weighted moving average of successful calls, with
 * failures counted as a penalty so that a failing node drops in the ranking until it recovers.
 *
 * <p>Observations age: a node not observed for {@code maxAge} counts as never called again, so the
 * planner tries it again (a node that was slow once, during a warm-up or an outage, or that other
 * nodes outran, is re-measured instead of being left out for good).
 */
public final class LatencyTracker {
  private static final double ALPHA = 0.2;

  /** How long an observation counts by default. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(30);

  private record Observed(double micros, Instant at) {}

  private final Map<Address, Observed> ewma = new ConcurrentHashMap<>();
  private final Duration failurePenalty;
  private final Duration maxAge;
  private final Clock clock;

  public LatencyTracker(Duration failurePenalty) {
    this(failurePenalty, DEFAULT_MAX_AGE, Clock.systemUTC());
  }

  public LatencyTracker(Duration failurePenalty, Duration maxAge, Clock clock) {
    this.failurePenalty = failurePenalty;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  public void success(Address node, Duration latency) {
    observe(node, latency.toNanos() / 1_000.0);
  }

  public void failure(Address node) {
    observe(node, failurePenalty.toNanos() / 1_000.0);
  }

  private void observe(Address node, double micros) {
    Instant now = clock.instant();
    ewma.compute(
        node,
        (k, old) ->
            old == null || stale(old, now)
                ? new Observed(micros, now)
                : new Observed(old.micros() + ALPHA * (micros - old.micros()), now));
  }

  /**
   * The average in microseconds, or empty when the node was never called or not within {@code
   * maxAge}.
   */
  public OptionalLong averageMicros(Address node) {
    Observed o = ewma.get(node);
    return o == null || stale(o, clock.instant())
        ? OptionalLong.empty()
        : OptionalLong.of(Math.round(o.micros()));
  }

  private boolean stale(Observed o, Instant now) {
    return !o.at().plus(maxAge).isAfter(now);
  }
}
