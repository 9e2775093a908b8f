package io.vouch.bench.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The calls one probe made to one endpoint; written by the probe's thread, read after it ends. */
final class EndpointTally {
  /** What the report shows for one endpoint of one probe. Latencies of OK calls only, or null. */
  record Summary(
      int calls,
      int ok,
      int refused,
      int timedOut,
      int connectionFailed,
      Map<Integer, Integer> statuses,
      Double p50Millis,
      Double p99Millis) {
    /** The share of calls answered OK, 0..1 (0 when there were none). */
    @JsonProperty
    double okShare() {
      return calls == 0 ? 0 : (double) ok / calls;
    }
  }

  private final int[] outcomes = new int[Probe.Outcome.values().length];
  private final Map<Integer, Integer> statuses = new TreeMap<>();
  private final List<Long> okMicros = new ArrayList<>();

  void add(Probe.Outcome outcome, int status, long micros) {
    outcomes[outcome.ordinal()]++;
    if (status != 0) {
      statuses.merge(status, 1, Integer::sum);
    }
    if (outcome == Probe.Outcome.OK) {
      okMicros.add(micros);
    }
  }

  Summary summary() {
    long[] sorted = okMicros.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return new Summary(
        Arrays.stream(outcomes).sum(),
        outcomes[Probe.Outcome.OK.ordinal()],
        outcomes[Probe.Outcome.REFUSED.ordinal()],
        outcomes[Probe.Outcome.TIMED_OUT.ordinal()],
        outcomes[Probe.Outcome.CONNECTION_FAILED.ordinal()],
        new TreeMap<>(statuses),
        percentileMillis(sorted, 50),
        percentileMillis(sorted, 99));
  }

  /** The nearest-rank percentile of sorted microseconds, in milliseconds; null when empty. */
  static Double percentileMillis(long[] sortedMicros, int percent) {
    if (sortedMicros.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sortedMicros.length);
    return sortedMicros[Math.max(0, rank - 1)] / 1_000.0;
  }
}
