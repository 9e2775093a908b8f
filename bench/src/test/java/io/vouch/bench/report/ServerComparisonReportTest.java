package io.vouch.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server comparison's arithmetic on JMH's JSON format, with made-up scores. */
class ServerComparisonReportTest {
  @TempDir Path dir;

  static String run(String benchmark, String params, double score, String unit) {
    return """
    {"jmhVersion": "1.37", "benchmark": "io.vouch.bench.x.%s", "mode": "avgt",
     "threads": 1, "forks": 1, "params": {%s},
     "primaryMetric": {"score": %s, "scoreError": 1.5, "scoreUnit": "%s"}}
    """
        .formatted(benchmark, params, score, unit);
  }

  ServerComparisonReport report(String... runs) throws IOException {
    Path json = dir.resolve("servers.json");
    Files.writeString(json, "[" + String.join(",", runs) + "]");
    return new ServerComparisonReport(ServerComparisonReport.read(json));
  }

  @Test
  void eachServerAddsItsInferScoreMinusTheBaselineOfTheSameModel() throws IOException {
    ServerComparisonReport r =
        report(
            run("OnnxRuntimeBaseline.run", "\"model\": \"MNIST_MLP\"", 10, "us/op"),
            run(
                "ServerComparison.infer",
                "\"model\": \"MNIST_MLP\", \"server\": \"JETTY\"",
                160,
                "us/op"),
            run(
                "ServerComparison.infer",
                "\"model\": \"MNIST_MLP\", \"server\": \"HELIDON\"",
                260,
                "us/op"));

    assertThat(r.addedMicros("MNIST_MLP", "JETTY")).hasValue(150.0);
    assertThat(r.addedMicros("MNIST_MLP", "HELIDON")).hasValue(250.0);
    assertThat(r.render()).contains("JETTY").contains("+150.0").contains("met");
    assertThat(r.render()).contains("+250.0").contains("missed");
  }

  @Test
  void throughputIsDividedByTheEngineFromFourThreads() throws IOException {
    ServerComparisonReport r =
        report(
            run("OnnxRuntimeBaseline.runConcurrently", "\"model\": \"MNIST_MLP\"", 100000, "ops/s"),
            run(
                "ServerThroughput.infer",
                "\"model\": \"MNIST_MLP\", \"server\": \"NETTY_NIO_LOOP\"",
                10000,
                "ops/s"));

    assertThat(r.render()).contains("NETTY_NIO_LOOP").contains("0.100");
  }

  @Test
  void healthRowsNeedNoModel() throws IOException {
    ServerComparisonReport r =
        report(run("ServerComparison.health", "\"server\": \"NODE\"", 17, "us/op"));

    assertThat(r.find("ServerComparison.health", "", "NODE")).isPresent();
    assertThat(r.render()).contains("GET /health").contains("17.0 ± 1.5 µs/op");
  }
}
