package io.vouch.node.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's counters and latency histogram, written in the Prometheus text exposition format. Kept
 * in-house: a handful of lock-free counters is all the node needs.
 */
public final class NodeMetrics {
  /** Upper bounds of the latency buckets, in microseconds. */
  private static final long[] BUCKETS_MICROS = {
    50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 50_000, 100_000, 1_000_000
  };

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final LongAdder[] bucketCounts = new LongAdder[BUCKETS_MICROS.length + 1];
  private final LongAdder latencySumMicros = new LongAdder();
  private final LongAdder latencyCount = new LongAdder();

  public NodeMetrics() {
    for (int i = 0; i < bucketCounts.length; i++) {
      bucketCounts[i] = new LongAdder();
    }
  }

  /** Counts one request by its outcome ({@code ok} or an error code name). */
  public void countRequest(String outcome) {
    requests.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  public void observeLatencyMicros(long micros) {
    latencySumMicros.add(micros);
    latencyCount.increment();
    for (int i = 0; i < BUCKETS_MICROS.length; i++) {
      if (micros <= BUCKETS_MICROS[i]) {
        bucketCounts[i].increment();
        return;
      }
    }
    bucketCounts[BUCKETS_MICROS.length].increment();
  }

  public long requestCount(String outcome) {
    LongAdder a = requests.get(outcome);
    return a == null ? 0 : a.sum();
  }

  public String prometheusText(Map<String, Number> gauges) {
    StringBuilder sb = new StringBuilder(1024);
    sb.append("# HELP vouch_inference_requests_total Inference requests by outcome.\n");
    sb.append("# TYPE vouch_inference_requests_total counter\n");
    requests.forEach((outcome, n) ->
        sb.append("vouch_inference_requests_total{outcome=\"")
            .append(outcome)
            .append("\"} ")
            .append(n.sum())
            .append('\n'));
    sb.append(
        "# HELP vouch_inference_latency_seconds Time from request parsed to response ready.\n");
    sb.append("# TYPE vouch_inference_latency_seconds histogram\n");
    long cumulative = 0;
    for (int i = 0; i < BUCKETS_MICROS.length; i++) {
      cumulative += bucketCounts[i].sum();
      sb.append("vouch_inference_latency_seconds_bucket{le=\"")
          .append(BUCKETS_MICROS[i] / 1e6)
          .append("\"} ")
          .append(cumulative)
          .append('\n');
    }
    cumulative += bucketCounts[BUCKETS_MICROS.length].sum();
    sb.append("vouch_inference_latency_seconds_bucket{le=\"+Inf\"} ")
        .append(cumulative)
        .append('\n');
    sb.append("vouch_inference_latency_seconds_sum ")
        .append(latencySumMicros.sum() / 1e6)
        .append('\n');
    sb.append("vouch_inference_latency_seconds_count ").append(latencyCount.sum()).append('\n');
    gauges.forEach((name, v) ->
        sb.append("# TYPE ")
            .append(name)
            .append(" gauge\n")
            .append(name)
            .append(' ')
            .append(v)
            .append('\n'));
    return sb.toString();
  }
}
