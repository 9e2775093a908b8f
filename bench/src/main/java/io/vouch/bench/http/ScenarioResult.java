package io.vouch.bench.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One scenario's figures. Memory in kB from {@code /proc/<pid>/status}; null where the node was
 * already gone. {@code rssBeforeKb}: after start and warm-up, before the attack; {@code hwmKb}: the
 * process's peak resident set since it started ({@code VmHWM}); {@code rssEndKb}: at the end of the
 * attack, its connections still open; {@code rssAfterKb}: {@code settle} seconds after they closed.
 */
record ScenarioResult(
    String scenario,
    String attack,
    long nodePid,
    double loadAverageBefore,
    double loadAverageAfter,
    Long rssBeforeKb,
    Long rssPeakSampledKb,
    Long hwmKb,
    Long rssEndKb,
    Long rssAfterKb,
    Integer threadsBefore,
    Integer threadsPeak,
    boolean nodeAliveAfter,
    int nodeExitCode,
    long outOfMemoryErrorLogLines,
    AttackConnections.Census attackConnections,
    List<ClientResult> clients) {

  /**
   * The highest resident set known: {@code VmHWM}, or a higher VmRSS reading (the kernel batches
   * its per-CPU RSS counters, so VmHWM can trail a reading by a few hundred kB).
   */
  @JsonProperty
  Long peakKb() {
    Long peak = null;
    for (Long v : new Long[] {hwmKb, rssPeakSampledKb, rssBeforeKb, rssEndKb, rssAfterKb}) {
      if (v != null && (peak == null || v > peak)) {
        peak = v;
      }
    }
    return peak;
  }

  /** What one well-behaved client saw. */
  record ClientResult(
      String connections, EndpointTally.Summary health, EndpointTally.Summary infer) {}
}
