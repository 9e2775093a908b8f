package io.vouch.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns one JMH run of {@code io.vouch.bench.server} plus {@code OnnxRuntimeBaseline} into one
 * table per model: for each HTTP server, what the direct path adds over ONNX Runtime of the same
 * run (µs and × ORT, against the 200 µs goal), {@code GET /health}, and requests per second to 4
 * clients against ONNX Runtime from 4 threads.
 *
 * <p>Usage: {@code java -cp vouch-benchmarks.jar io.vouch.bench.report.ServerComparisonReport
 * target/servers.json}
 */
public final class ServerComparisonReport {
  static final String INFER = "ServerComparison.infer";
  static final String HEALTH = "ServerComparison.health";
  static final String THROUGHPUT = "ServerThroughput.infer";

  /** One result with the server it ran behind ("" for the baselines). */
  public record ServerScore(String server, JmhScore score) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<ServerScore> scores;

  public ServerComparisonReport(List<ServerScore> scores) {
    this.scores = List.copyOf(scores);
  }

  public static List<ServerScore> read(Path jmhJson) throws IOException {
    JsonNode root = JSON.readTree(jmhJson.toFile());
    if (root == null || !root.isArray()) {
      throw new IOException(
          jmhJson + " is not JMH's JSON result array; run JMH with -rf json -rff " + jmhJson);
    }
    List<ServerScore> out = new ArrayList<>();
    for (JsonNode run : root) {
      out.add(new ServerScore(run.path("params").path("server").asText(""), JmhScore.parse(run)));
    }
    return out;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ServerComparisonReport <jmh-result.json>");
      System.exit(2);
    }
    System.out.print(new ServerComparisonReport(read(Path.of(args[0]))).render());
  }

  public Optional<JmhScore> find(String benchmark, String model, String server) {
    return scores.stream()
        .filter(s -> s.server().equals(server))
        .map(ServerScore::score)
        .filter(s -> s.benchmark().equals(benchmark) && s.model().equals(model))
        .findFirst();
  }

  /** What {@code server} adds to one request of {@code model} over ONNX Runtime alone, in µs. */
  public Optional<Double> addedMicros(String model, String server) {
    Optional<JmhScore> base = find(DirectPathReport.LATENCY_BASELINE, model, "");
    return find(INFER, model, server).flatMap(s -> base.map(b -> s.score() - b.score()));
  }

  /** Servers in the order they first appear in the run (the benchmark's {@code @Param} order). */
  private Set<String> servers() {
    Set<String> servers = new LinkedHashSet<>();
    scores.stream().map(ServerScore::server).filter(s -> !s.isEmpty()).forEach(servers::add);
    return servers;
  }

  private Set<String> models() {
    Set<String> models = new TreeSet<>();
    scores.stream().map(s -> s.score().model()).filter(m -> !m.isEmpty()).forEach(models::add);
    return models;
  }

  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(
        "Scores are JMH means ± 99.9% CI; 'adds' = infer − ORT and '× ORT' = infer ÷ ORT, both"
            + " against\nOnnxRuntimeBaseline.run of the SAME run; '4 clients' ÷"
            + " OnnxRuntimeBaseline.runConcurrently.\n");
    for (String model : models()) {
      Optional<JmhScore> base = find(DirectPathReport.LATENCY_BASELINE, model, "");
      Optional<JmhScore> base4 = find(DirectPathReport.THROUGHPUT_BASELINE, model, "");
      out.append('\n').append("model ").append(model).append(", batch 1: ORT ");
      out.append(base.map(ServerComparisonReport::score).orElse("not in this run"));
      out.append("; ORT from 4 threads ");
      out.append(base4.map(ServerComparisonReport::score).orElse("not in this run"));
      out.append('\n');
      out.append(
          String.format(
              Locale.ROOT,
              "  %-20s %22s %10s %7s %9s %26s %7s%n",
              "server",
              "infer",
              "adds (µs)",
              "× ORT",
              "goal",
              "4 clients",
              "× ORT"));
      for (String server : servers()) {
        Optional<JmhScore> infer = find(INFER, model, server);
        Optional<JmhScore> tput = find(THROUGHPUT, model, server);
        if (infer.isEmpty() && tput.isEmpty()) {
          continue;
        }
        Optional<Double> added = addedMicros(model, server);
        out.append(
            String.format(
                Locale.ROOT,
                "  %-20s %22s %10s %7s %9s %26s %7s%n",
                server,
                infer.map(ServerComparisonReport::score).orElse("-"),
                added.map(a -> String.format(Locale.ROOT, "%+.1f", a)).orElse("-"),
                infer
                    .flatMap(i ->
                        base.map(b -> String.format(Locale.ROOT, "%.1f", i.score() / b.score())))
                    .orElse("-"),
                added
                    .map(a -> a <= DirectPathReport.GOAL_ADDED_MICROS ? "met" : "missed")
                    .orElse("-"),
                tput.map(ServerComparisonReport::score).orElse("-"),
                tput.flatMap(t ->
                        base4.map(b -> String.format(Locale.ROOT, "%.3f", t.score() / b.score())))
                    .orElse("-")));
      }
    }
    List<String> healthRows = new ArrayList<>();
    for (String server : servers()) {
      find(HEALTH, "", server)
          .ifPresent(
              h -> healthRows.add(String.format(Locale.ROOT, "  %-20s %22s%n", server, score(h))));
    }
    if (!healthRows.isEmpty()) {
      out.append('\n').append("GET /health (HTTP with no work), model-independent\n");
      healthRows.forEach(out::append);
    }
    return out.toString();
  }

  private static String score(JmhScore s) {
    return Double.isNaN(s.error())
        ? String.format(Locale.ROOT, "%.1f %s", s.score(), s.unit())
        : String.format(Locale.ROOT, "%.1f ± %.1f %s", s.score(), s.error(), s.unit());
  }
}
