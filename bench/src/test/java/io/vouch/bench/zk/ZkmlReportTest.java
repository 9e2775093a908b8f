package io.vouch.bench.zk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.bench.report.JmhScore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
  }
}
