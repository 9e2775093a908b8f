package io.vouch.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointTallyTest {
  @Test
  void percentilesAreNearestRankOverTheAnsweredCallsOnly() {
    EndpointTally t = new EndpointTally();
    for (int i = 1; i <= 100; i++) {
      t.add(Probe.Outcome.OK, 200, i * 1_000L);
    }
    t.add(Probe.Outcome.REFUSED, 503, 1L);
    t.add(Probe.Outcome.TIMED_OUT, 0, 2_000_000L);

    EndpointTally.Summary s = t.summary();

    assertEquals(102, s.calls());
    assertEquals(50.0, s.p50Millis());
    assertEquals(99.0, s.p99Millis());
    assertEquals(Map.of(200, 100, 503, 1), s.statuses());
  }

  @Test
  void anEndpointThatNeverAnsweredHasNoLatency() {
    EndpointTally t = new EndpointTally();
    t.add(Probe.Outcome.CONNECTION_FAILED, 0, 5L);

    assertNull(t.summary().p50Millis());
    assertEquals(0.0, t.summary().okShare());
  }

  @Test
  void procStatusGivesResidentSetPeakAndThreads() {
    ProcessMemory m =
        ProcessMemory.parse(
            "Name:\tjava\nVmHWM:\t  1200000 kB\nVmRSS:\t  184320 kB\nThreads:\t534\n");

    assertEquals(new ProcessMemory(184_320, 1_200_000, 534), m);
  }
}
