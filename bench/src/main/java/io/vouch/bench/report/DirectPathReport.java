package io.vouch.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Turns one JMH run of {@code io.vouch.bench.direct} into a table of ratios against the ONNX
 * Runtime baseline measured in the same run, so that the figures say "the direct path costs N× the
 * inference" rather than a machine-dependent absolute time.
 *
 * <p>Usage: {@code java -cp vouch-benchmarks.jar io.vouch.bench.report.DirectPathReport
 * target/direct.json}
 */
public final class DirectPathReport {
  static final String LATENCY_BASELINE = "OnnxRuntimeBaseline.run";
  static final String THROUGHPUT_BASELINE = "OnnxRuntimeBaseline.runConcurrently";
  static final String DIRECT_PATH = "DirectPathLatency.infer";
  static final String DIRECT_PATH_VERIFIED = "DirectPathLatency.inferAndVerify";
  static final String DIRECT_PATH_JSON = "DirectPathLatency.inferJson";
  static final String DIRECT_PATH_JDK_JSON = "DirectPathLatency.inferJdkHttpClientJson";
  static final String FULL_RECEIPT = "ReceiptCost.fullReceipt";
  static final String SIGNATURE = "ReceiptCost.signature";
  static final String TRANSPORT_FLOOR = "DirectPathLatency.transportFloor";

  /** Rows in reading order: the baseline, the parts, the round trips, then throughput. */
  static final List<String> ROW_ORDER =
      List.of(
          LATENCY_BASELINE,
          "ReceiptCost.hashesAndDigest",
          FULL_RECEIPT,
          DIRECT_PATH,
          DIRECT_PATH_VERIFIED,
          DIRECT_PATH_JSON,
          DIRECT_PATH_JDK_JSON,
          THROUGHPUT_BASELINE,
          "NodeThroughput.directPath",
          SIGNATURE,
          "ReceiptCost.signerRecovery",
          TRANSPORT_FLOOR);

  /** The goal: what the direct path may add to one request on loopback. */
  static final double GOAL_ADDED_MICROS = 200;

  private final List<JmhScore> scores;

  public DirectPathReport(List<JmhScore> scores) {
    this.scores =
        scores.stream().sorted(Comparator.comparingInt(DirectPathReport::rowRank)).toList();
  }

  private static int rowRank(JmhScore s) {
    int rank = ROW_ORDER.indexOf(s.benchmark());
    return rank < 0 ? ROW_ORDER.size() : rank;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: DirectPathReport <jmh-result.json>");
      System.exit(2);
    }
    System.out.print(new DirectPathReport(JmhScore.read(Path.of(args[0]))).render());
  }

  /**
   * Whether a benchmark's operation includes the inference (so what it adds is its score minus the
   * baseline) or runs beside it (so what it adds is its whole score).
   */
  static boolean includesInference(String benchmark) {
    return benchmark.equals(DIRECT_PATH)
        || benchmark.equals(DIRECT_PATH_VERIFIED)
        || benchmark.equals(DIRECT_PATH_JSON)
        || benchmark.equals(DIRECT_PATH_JDK_JSON)
        || benchmark.equals(LATENCY_BASELINE);
  }

  public Optional<JmhScore> find(String benchmark, String model) {
    return scores.stream()
        .filter(s -> s.benchmark().equals(benchmark) && s.model().equals(model))
        .findFirst();
  }

  /**
   * What {@code benchmark} adds to one request of {@code model} over ONNX Runtime alone, in µs, or
   * empty when either figure is missing from the run.
   */
  public Optional<Double> addedMicros(String benchmark, String model) {
    Optional<JmhScore> s = find(benchmark, model);
    if (s.isEmpty() || s.get().throughput()) {
      return Optional.empty();
    }
    if (!includesInference(benchmark)) {
      return Optional.of(s.get().score());
    }
    return find(LATENCY_BASELINE, model).map(base -> s.get().score() - base.score());
  }

  /** A score divided by its baseline of the same mode and model, or empty without a baseline. */
  public Optional<Double> ratio(JmhScore s) {
    String baseline = s.throughput() ? THROUGHPUT_BASELINE : LATENCY_BASELINE;
    String model = s.model().isEmpty() ? firstModel() : s.model();
    return find(baseline, model).map(base -> s.score() / base.score());
  }

  /** The baseline for model-independent benchmarks (signing): the first model, by name. */
  private String firstModel() {
    return models().stream().findFirst().orElse("");
  }

  private TreeSet<String> models() {
    TreeSet<String> models = new TreeSet<>();
    scores.stream().map(JmhScore::model).filter(m -> !m.isEmpty()).forEach(models::add);
    return models;
  }

  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(
        "Scores are JMH means ± 99.9% CI. '× ORT' divides by ONNX Runtime alone from the SAME run\n"
            + "(latency by OnnxRuntimeBaseline.run, throughput by"
            + " OnnxRuntimeBaseline.runConcurrently).\n"
            + "'adds' is what a request pays beyond ONNX Runtime: score − ORT for round trips,"
            + " the whole score for receipt parts.\n");
    for (String model : models()) {
      out.append('\n').append("model ").append(model).append(", batch 1\n");
      appendHeader(out);
      scores.stream().filter(s -> s.model().equals(model)).forEach(s -> appendRow(out, s));
    }
    List<JmhScore> modelFree = scores.stream().filter(s -> s.model().isEmpty()).toList();
    if (!modelFree.isEmpty()) {
      out.append('\n')
          .append("model-independent (× ORT against ")
          .append(firstModel())
          .append(")\n");
      appendHeader(out);
      modelFree.forEach(s -> appendRow(out, s));
    }
    out.append('\n');
    for (String model : models()) {
      appendGoal(out, model);
    }
    return out.toString();
  }

  private static void appendHeader(StringBuilder out) {
    out.append(
        String.format(
            Locale.ROOT, "  %-44s %24s %9s %12s%n", "benchmark", "score", "× ORT", "adds (µs)"));
  }

  private void appendRow(StringBuilder out, JmhScore s) {
    String name = s.threads() > 1 ? s.benchmark() + " [" + s.threads() + " thr]" : s.benchmark();
    String score =
        Double.isNaN(s.error())
            ? String.format(Locale.ROOT, "%.1f %s", s.score(), s.unit())
            : String.format(Locale.ROOT, "%.1f ± %.1f %s", s.score(), s.error(), s.unit());
    String ratio = ratio(s).map(r -> String.format(Locale.ROOT, "%.2f", r)).orElse("-");
    String added =
        s.benchmark().equals(LATENCY_BASELINE)
            ? "(baseline)"
            : addedMicros(s.benchmark(), s.model())
                .map(a -> String.format(Locale.ROOT, "%+.1f", a))
                .orElse("-");
    out.append(String.format(Locale.ROOT, "  %-44s %24s %9s %12s%n", name, score, ratio, added));
  }

  private void appendGoal(StringBuilder out, String model) {
    Optional<Double> added = addedMicros(DIRECT_PATH, model);
    Optional<JmhScore> base = find(LATENCY_BASELINE, model);
    if (added.isEmpty() || base.isEmpty()) {
      return;
    }
    double micros = added.get();
    out.append(
        String.format(
            Locale.ROOT,
            "%s: the direct path adds %.0f µs per request (= %.1f× the %.1f µs ORT inference);"
                + " goal ≤ %.0f µs: %s%n",
            model,
            micros,
            micros / base.get().score(),
            base.get().score(),
            GOAL_ADDED_MICROS,
            micros <= GOAL_ADDED_MICROS ? "met" : "missed by " + fmt(micros - GOAL_ADDED_MICROS)));
    find(FULL_RECEIPT, model)
        .ifPresent(receipt ->
            out.append(
                String.format(
                    Locale.ROOT,
                    "%s:   of which the receipt (hashes, digest, signature) %.0f µs (%.0f%%)%n",
                    model,
                    receipt.score(),
                    100 * receipt.score() / micros)));
    Optional<JmhScore> signature = find(SIGNATURE, "");
    if (signature.isPresent()) {
      double withoutSignature = micros - signature.get().score();
      out.append(
          String.format(
              Locale.ROOT,
              "%s:   of which the secp256k1 signature %.0f µs (%.0f%%); without it %.0f µs: %s%n",
              model,
              signature.get().score(),
              100 * signature.get().score() / micros,
              withoutSignature,
              withoutSignature <= GOAL_ADDED_MICROS ? "within the goal" : "over the goal"));
    }
    find(TRANSPORT_FLOOR, "")
        .ifPresent(floor ->
            out.append(
                String.format(
                    Locale.ROOT,
                    "%s:   of which an HTTP round trip that does no work (GET /health) %.0f µs (%.0f%%)%n",
                    model,
                    floor.score(),
                    100 * floor.score() / micros)));
    addedMicros(DIRECT_PATH_VERIFIED, model)
        .ifPresent(v ->
            out.append(
                String.format(
                    Locale.ROOT,
                    "%s:   with the SDK's local verification the path adds %.0f µs%n",
                    model,
                    v)));
    addedMicros(DIRECT_PATH_JSON, model)
        .ifPresent(v ->
            out.append(
                String.format(
                    Locale.ROOT,
                    "%s:   in the JSON form instead of the binary one it adds %.0f µs%n",
                    model,
                    v)));
    addedMicros(DIRECT_PATH_JDK_JSON, model)
        .ifPresent(v ->
            out.append(
                String.format(
                    Locale.ROOT,
                    "%s:   in JSON through the JDK's HttpClient (the SDK's earlier path) it adds"
                        + " %.0f µs%n",
                    model,
                    v)));
  }

  private static String fmt(double micros) {
    return String.format(Locale.ROOT, "%.0f µs", micros);
  }
}
