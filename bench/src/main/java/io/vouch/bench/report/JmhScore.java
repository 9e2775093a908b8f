package io.vouch.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark result from JMH's JSON output ({@code -rf json}), with its score normalised to
 * microseconds per operation (average time) or operations per second (throughput), whatever {@code
 * -tu} the run used.
 *
 * @param benchmark {@code SimpleClass.method}, e.g. {@code OnnxRuntimeBaseline.run}
 * @param model the {@code model} parameter, or empty when the benchmark has none
 * @param throughput true for ops/s, false for µs/op
 * @param score the score in the normalised unit
 * @param error half-width of JMH's 99.9% confidence interval, same unit (NaN with one iteration)
 * @param threads concurrent JMH threads
 * @param allocatedBytesPerOp JMH's {@code gc.alloc.rate.norm} (bytes allocated per operation, by
 *     every thread of the benchmark JVM: JMH 1.37 reads {@code
 *     com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes}), or NaN when the run had no
 *     {@code -prof gc}
 */
public record JmhScore(
    String benchmark,
    String model,
    boolean throughput,
    double score,
    double error,
    int threads,
    double allocatedBytesPerOp) {

  /** JMH's secondary metric for bytes allocated per operation, from {@code -prof gc}. */
  public static final String ALLOC_NORM = "gc.alloc.rate.norm";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A score without an allocation figure (a run without {@code -prof gc}). */
  public JmhScore(
      String benchmark, String model, boolean throughput, double score, double error, int threads) {
    this(benchmark, model, throughput, score, error, threads, Double.NaN);
  }

  /** Whether the run measured allocation ({@code -prof gc}). */
  public boolean hasAllocation() {
    return !Double.isNaN(allocatedBytesPerOp);
  }

  public String unit() {
    return throughput ? "ops/s" : "µs/op";
  }

  public static List<JmhScore> read(Path jmhJson) throws IOException {
    JsonNode root = JSON.readTree(jmhJson.toFile());
    if (root == null || !root.isArray()) {
      throw new IOException(
          jmhJson + " is not JMH's JSON result array; run JMH with -rf json -rff " + jmhJson);
    }
    List<JmhScore> scores = new ArrayList<>();
    for (JsonNode run : root) {
      scores.add(parse(run));
    }
    return scores;
  }

  static JmhScore parse(JsonNode run) {
    String fullName = run.path("benchmark").asText();
    String[] parts = fullName.split("\\.");
    if (parts.length < 2) {
      throw new IllegalArgumentException("not a JMH benchmark name: '" + fullName + "'");
    }
    String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
    Map<String, String> params = new TreeMap<>();
    run.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
    JsonNode metric = run.path("primaryMetric");
    String unit = metric.path("scoreUnit").asText();
    double factor = toNormalisedUnit(unit, fullName);
    boolean throughput = unit.startsWith("ops/");
    JsonNode alloc = run.path("secondaryMetrics").path(ALLOC_NORM);
    double allocated = Double.NaN;
    if (alloc.isObject()) {
      if (!"B/op".equals(alloc.path("scoreUnit").asText())) {
        throw new IllegalArgumentException(
            fullName + " has " + ALLOC_NORM + " in '" + alloc.path("scoreUnit").asText() + "'");
      }
      allocated = alloc.path("score").asDouble();
    }
    return new JmhScore(
        name,
        params.getOrDefault("model", ""),
        throughput,
        metric.path("score").asDouble() * factor,
        metric.path("scoreError").asDouble(Double.NaN) * factor,
        run.path("threads").asInt(1),
        allocated);
  }

  /** The factor from JMH's unit to µs/op or ops/s. */
  private static double toNormalisedUnit(String unit, String benchmark) {
    return switch (unit) {
      case "ns/op" -> 1e-3;
      case "us/op" -> 1;
      case "ms/op" -> 1e3;
      case "s/op" -> 1e6;
      case "ops/ns" -> 1e9;
      case "ops/us" -> 1e6;
      case "ops/ms" -> 1e3;
      case "ops/s" -> 1;
      case "ops/min" -> 1.0 / 60;
      default ->
          throw new IllegalArgumentException(
              benchmark
                  + " has score unit '"
                  + unit
                  + "'; the report reads average-time and throughput modes only");
    };
  }
}
