package io.vouch.bench.zk;

import io.vouch.bench.report.JmhScore;
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
 * the same run: {@code java -cp bench/target/vouch-benchmarks.jar io.vouch.bench.zk.ZkmlReport
 * bench/target/zkml.json}.
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
    out.printf("%-16s %-18s %22s %14s%n", "model", "benchmark", "score", "× inference");
    byModel.forEach((model, runs) -> {
      Optional<JmhScore> base = Optional.ofNullable(runs.get("integerInference"));
      for (String name : List.of("integerInference", "prove", "verify")) {
        JmhScore s = runs.get(name);
        if (s == null) {
          continue;
        }
        String ratio =
            base.map(b -> String.format(Locale.ROOT, "%.1f×", s.score() / b.score())).orElse("-");
        out.printf(Locale.ROOT, "%-16s %-18s %22s %14s%n", model, name, formatScore(s), ratio);
      }
    });
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
