package io.vouch.bench.zk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.bench.report.JmhScore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report divides prove and verify by the integer inference of the same model. */
class ZkmlReportTest {
  @Test
  void dividesByTheSameModelsIntegerInference() {
    List<JmhScore> scores =
        List.of(
            new JmhScore("ZkmlBenchmarks.integerInference", "MNIST_MLP", false, 40, 1, 1),
            new JmhScore("ZkmlBenchmarks.prove", "MNIST_MLP", false, 1200, 10, 1),
            new JmhScore("ZkmlBenchmarks.verify", "MNIST_MLP", false, 800, 10, 1));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    ZkmlReport.print(scores, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String report = bytes.toString(StandardCharsets.UTF_8);
    assertThat(report).contains("30.0×").contains("20.0×").contains("1.20 ± 0.01 ms/op");
    assertThat(report).doesNotContain("alloc MB/op");
  }

  @Test
  void listsTheOneThreadVerificationBesideTheVerificationWhenMeasured() {
    List<JmhScore> scores =
        List.of(
            new JmhScore("ZkmlBenchmarks.integerInference", "MNIST_MLP", false, 40, 1, 1),
            new JmhScore("ZkmlBenchmarks.prove", "MNIST_MLP", false, 1200, 10, 1),
            new JmhScore("ZkmlBenchmarks.verify", "MNIST_MLP", false, 800, 10, 1),
            new JmhScore("ZkmlBenchmarks.verifyOnOneThread", "MNIST_MLP", false, 1000, 10, 1));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    ZkmlReport.print(scores, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .containsPattern("MNIST_MLP +verify +800.0 ± 10.0 µs/op +20.0×")
        .containsPattern("MNIST_MLP +verifyOnOneThread +1.00 ± 0.01 ms/op +25.0×");
  }

  @Test
  void judgesEachModelAgainstItsTimeTargets() {
    // LeNet-5: prove ≤ 10 ms, ≤ 10× the inference, verify ≤ 0.1 of prove
    List<JmhScore> scores =
        List.of(
            new JmhScore("ZkmlBenchmarks.integerInference", "LENET5", false, 1_000, 1, 1),
            new JmhScore("ZkmlBenchmarks.prove", "LENET5", false, 9_000, 10, 1),
            new JmhScore("ZkmlBenchmarks.verify", "LENET5", false, 900, 10, 1),
            new JmhScore("ZkmlBenchmarks.integerInference", "CNN_264K", false, 6_000, 1, 1),
            new JmhScore("ZkmlBenchmarks.prove", "CNN_264K", false, 61_000, 10, 1),
            new JmhScore("ZkmlBenchmarks.verify", "CNN_264K", false, 6_200, 10, 1));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    ZkmlReport.print(scores, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String report = bytes.toString(StandardCharsets.UTF_8);
    assertThat(report).containsPattern("LENET5 +target +met \\(prove ≤ 10 ms");
    assertThat(report)
        .containsPattern(
            "CNN_264K +target +not met: prove, prove/inf, verify/prove \\(prove ≤ 60 ms");
  }

  @Test
  void printsMegabytesAllocatedPerOperationWhenTheRunHadTheGcProfiler() {
    List<JmhScore> scores =
        List.of(
            new JmhScore("ZkmlBenchmarks.integerInference", "MNIST_MLP", false, 40, 1, 1, 1_200),
            new JmhScore("ZkmlBenchmarks.prove", "MNIST_MLP", false, 1200, 10, 1, 4_321_000),
            new JmhScore("ZkmlBenchmarks.verify", "MNIST_MLP", false, 800, 10, 1, 987_000));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    ZkmlReport.print(scores, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String report = bytes.toString(StandardCharsets.UTF_8);
    assertThat(report).contains("alloc MB/op").contains("4.321").contains("0.987");
  }

  @Test
  void readsTheGcProfilersAllocationFromJmhJson() throws Exception {
    String json =
        """
        [{"benchmark": "io.vouch.bench.zk.ZkmlBenchmarks.prove", "threads": 1,
          "params": {"model": "MNIST_MLP"},
          "primaryMetric": {"score": 360.0, "scoreError": 15.0, "scoreUnit": "us/op"},
          "secondaryMetrics": {
            "gc.alloc.rate": {"score": 9000.0, "scoreError": 1.0, "scoreUnit": "MB/sec"},
            "gc.alloc.rate.norm": {"score": 3500000.5, "scoreError": 2.0, "scoreUnit": "B/op"}}},
         {"benchmark": "io.vouch.bench.zk.ZkmlBenchmarks.verify", "threads": 1,
          "params": {"model": "MNIST_MLP"},
          "primaryMetric": {"score": 670.0, "scoreError": 30.0, "scoreUnit": "us/op"},
          "secondaryMetrics": {}}]
        """;
    Path file = Files.createTempFile("zkml", ".json");
    try {
      Files.writeString(file, json);
      List<JmhScore> scores = JmhScore.read(file);
      assertThat(scores.get(0).allocatedBytesPerOp()).isEqualTo(3500000.5);
      assertThat(scores.get(1).hasAllocation()).isFalse();
    } finally {
      Files.delete(file);
    }
  }
}
