package io.vouch.sdk.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.core.Address;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LatencyTrackerTest {
  /** A clock the test moves by hand. */
  static final class StepClock extends Clock {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final StepClock clock = new StepClock();
  final LatencyTracker latency =
      new LatencyTracker(Duration.ofSeconds(5), Duration.ofSeconds(30), clock);
  final Address a = PlannerTest.addr(1);

  @Test
  void successesAreAveragedWithMoreWeightOnThePast() {
    latency.success(a, Duration.ofMillis(10));
    latency.success(a, Duration.ofMillis(20));

    assertThat(latency.averageMicros(a)).hasValue(12_000);
  }

  @Test
  void aFailureCountsAsThePenalty() {
    latency.failure(a);

    assertThat(latency.averageMicros(a)).hasValue(5_000_000);
  }

  @Test
  void anObservationOlderThanTheMaxAgeIsForgotten() {
    latency.success(a, Duration.ofMillis(900));
    clock.now = clock.now.plusSeconds(30);

    assertThat(latency.averageMicros(a)).isEmpty();

    latency.success(a, Duration.ofMillis(2));
    assertThat(latency.averageMicros(a)).hasValue(2_000);
  }

  @Test
  void aNodeOnceSlowIsPlannedAgainOnceItsObservationAged() {
    Planner planner = new Planner(latency, new Random(3));
    List<NodeCandidate> nodes =
        List.of(
            PlannerTest.node(1, 5, 1, VerificationLevel.VANILLA),
            PlannerTest.node(2, 5, 1, VerificationLevel.VANILLA));
    latency.success(a, Duration.ofMillis(80)); // a warm-up call
    latency.success(PlannerTest.addr(2), Duration.ofMillis(2));
    var all = Set.of(VerificationLevel.values());

    var now = planner.plan(Requirements.defaults(), all, BigInteger.ZERO, nodes);
    clock.now = clock.now.plusSeconds(31);
    var later = planner.plan(Requirements.defaults(), all, BigInteger.ZERO, nodes);

    assertThat(now.close()).isEqualTo(1);
    assertThat(now.nodes().getFirst().address()).isEqualTo(PlannerTest.addr(2));
    assertThat(later.close()).isEqualTo(2);
  }
}
