package io.vouch.bench.zk;

import io.vouch.bench.report.JmhScore;
import io.vouch.benchmodels.ZkBenchmarkModels.Kind;
import io.vouch.benchmodels.ZkTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Prints the ZKML JMH results per model with prove and verify divided by the integer inference of
 * the same run, and, when the run had JMH's GC profiler ({@code -prof gc}, as {@code
 * bench/run-zkml.sh} does), the megabytes (10^6 B) allocated per operation by all threads of the
 * JVM, the prover's helper thread included: {@code java -cp bench/target/vouch-benchmarks.jar
 * io.vouch.bench.zk.ZkmlReport bench/target/zkml.json}. Bytes allocated per proof bound the memory
 * a proof needs beyond the loaded model from above (its peak live data is at most that).
 */
public final class ZkmlReport {
  private ZkmlReport() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ZkmlReport JMH_RESULT.json");
      System.exit(2);
    }
    print(JmhScore.read(Path.of(args[0])), System.out);
  }

  static void print(List<JmhScore> scores, PrintStream out) {
    Map<String, Map<String, JmhScore>> byModel = new LinkedHashMap<>();
    for (JmhScore s : scores) {
      if (s.benchmark().startsWith("ZkmlBenchmarks.")) {
        byModel
            .computeIfAbsent(s.model(), m -> new LinkedHashMap<>())
            .put(s.benchmark().substring("ZkmlBenchmarks.".length()), s);
      }
    }
    boolean alloc = scores.stream().anyMatch(JmhScore::hasAllocation);
    out.printf(
        "%-16s %-18s %22s %14s%s%n",
        "model",
        "benchmark",
        "score",
        "× inference",
        alloc ? String.format("%16s", "alloc MB/op") : "");
    byModel.forEach((model, runs) -> {
      Optional<JmhScore> base = Optional.ofNullable(runs.get("integerInference"));
      for (String name : List.of("integerInference", "prove", "verify", "verifyOnOneThread")) {
        JmhScore s = runs.get(name);
        if (s == null) {
          continue;
        }
        String ratio =
            base.map(b -> String.format(Locale.ROOT, "%.1f×", s.score() / b.score())).orElse("-");
        out.printf(
            Locale.ROOT,
            "%-16s %-18s %22s %14s%s%n",
            model,
            name,
            formatScore(s),
            ratio,
            alloc ? String.format("%16s", formatAllocation(s)) : "");
      }
      String verdict = verdict(model, runs);
      if (verdict != null) {
        out.printf("%-16s %-18s %s%n", model, "target", verdict);
      }
    });
    if (alloc) {
      out.println(
          "alloc MB/op = JMH gc.alloc.rate.norm / 10^6: bytes allocated per operation by every thread"
              + " (prover helper included); an upper bound on the memory an operation needs");
    }
  }

  /**
   * The model's time targets ({@link ZkTarget#missedTimes}: prove, prove ÷ inference, verify ÷
   * prove, on the scores' means) as met or the ones missed; null without all three benchmarks or
   * for a model that is not a {@link Kind}.
   */
  static String verdict(String model, Map<String, JmhScore> runs) {
    JmhScore inference = runs.get("integerInference");
    JmhScore prove = runs.get("prove");
    JmhScore verify = runs.get("verify");
    if (inference == null || prove == null || verify == null) {
      return null;
    }
    ZkTarget target;
    try {
      target = Kind.valueOf(model).target();
    } catch (IllegalArgumentException e) {
      return null;
    }
    // scores in µs/op (ZkmlBenchmarks' unit)
    List<String> missed =
        target.missedTimes(
            prove.score() / 1000,
            prove.score() / inference.score(),
            verify.score() / prove.score());
    return (missed.isEmpty() ? "met" : "not met: " + String.join(", ", missed))
        + " ("
        + target.describe().replace(", bits ≥ 100", "")
        + "; soundness and memory: vouch bench zkml)";
  }

  static String formatAllocation(JmhScore s) {
    if (!s.hasAllocation()) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.3f", s.allocatedBytesPerOp() / 1e6);
  }

  static String formatScore(JmhScore s) {
    double v = s.score();
    double e = s.error();
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%.2f ± %.2f ms/op", v / 1000, e / 1000);
    }
    return String.format(Locale.ROOT, "%.1f ± %.1f µs/op", v, e);
  }
}
