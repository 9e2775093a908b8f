package io.vouch.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's arithmetic on JMH's JSON format, with made-up scores. */
class DirectPathReportTest {
  @TempDir Path dir;

  static String run(String benchmark, String model, double score, String unit, int threads) {
    String params = model.isEmpty() ? "" : "\"params\": {\"model\": \"" + model + "\"},";
    return """
    {"jmhVersion": "1.37", "benchmark": "io.vouch.bench.direct.%s", "mode": "avgt",
     "threads": %d, "forks": 1, %s
     "primaryMetric": {"score": %s, "scoreError": 1.5, "scoreUnit": "%s"}}
    """
        .formatted(benchmark, threads, params, score, unit);
  }

  DirectPathReport report(String... runs) throws IOException {
    Path json = dir.resolve("direct.json");
    Files.writeString(json, "[" + String.join(",", runs) + "]");
    return new DirectPathReport(JmhScore.read(json));
  }

  @Test
  void roundTripAddsItsScoreMinusTheBaselineOfTheSameModel() throws IOException {
    DirectPathReport r =
        report(
            run("OnnxRuntimeBaseline.run", "MNIST_MLP", 20, "us/op", 1),
            run("OnnxRuntimeBaseline.run", "SUPPORT_INTENTS", 10, "us/op", 1),
            run("DirectPathLatency.infer", "MNIST_MLP", 1020, "us/op", 1));

    assertThat(r.addedMicros("DirectPathLatency.infer", "MNIST_MLP")).hasValue(1000.0);
    assertThat(r.ratio(r.find("DirectPathLatency.infer", "MNIST_MLP").orElseThrow()))
        .hasValue(51.0);
  }

  @Test
  void receiptPartsAddTheirWholeScore() throws IOException {
    DirectPathReport r =
        report(
            run("OnnxRuntimeBaseline.run", "MNIST_MLP", 20, "us/op", 1),
            run("ReceiptCost.fullReceipt", "MNIST_MLP", 800, "us/op", 1));

    assertThat(r.addedMicros("ReceiptCost.fullReceipt", "MNIST_MLP")).hasValue(800.0);
  }

  @Test
  void transportFloorAddsItsWholeScore() throws IOException {
    DirectPathReport r =
        report(
            run("OnnxRuntimeBaseline.run", "MNIST_MLP", 20, "us/op", 1),
            run("DirectPathLatency.transportFloor", "", 180, "us/op", 1));

    assertThat(r.addedMicros("DirectPathLatency.transportFloor", "")).hasValue(180.0);
  }

  @Test
  void scoresInOtherUnitsAreNormalisedToMicrosecondsAndOpsPerSecond() throws IOException {
    DirectPathReport r =
        report(
            run("OnnxRuntimeBaseline.run", "MNIST_MLP", 17_000, "ns/op", 1),
            run("OnnxRuntimeBaseline.runConcurrently", "MNIST_MLP", 50, "ops/ms", 4),
            run("NodeThroughput.directPath", "MNIST_MLP", 5_000, "ops/s", 4));

    JmhScore baseline = r.find("OnnxRuntimeBaseline.run", "MNIST_MLP").orElseThrow();
    assertThat(baseline.score()).isCloseTo(17.0, within(1e-9));
    assertThat(baseline.error()).isCloseTo(0.0015, within(1e-12));
    assertThat(r.ratio(r.find("NodeThroughput.directPath", "MNIST_MLP").orElseThrow()))
        .hasValue(0.1);
  }

  @Test
  void modelIndependentBenchmarksAreComparedWithTheFirstModelsBaseline() throws IOException {
    DirectPathReport r =
        report(
            run("OnnxRuntimeBaseline.run", "SUPPORT_INTENTS", 10, "us/op", 1),
            run("OnnxRuntimeBaseline.run", "MNIST_MLP", 20, "us/op", 1),
            run("ReceiptCost.signature", "", 700, "us/op", 1));

    assertThat(r.ratio(r.find("ReceiptCost.signature", "").orElseThrow())).hasValue(35.0);
  }

  @Test
  void goalLineSaysMissedAndSeparatesTheSignature() throws IOException {
    String text =
        report(
                run("OnnxRuntimeBaseline.run", "MNIST_MLP", 20, "us/op", 1),
                run("DirectPathLatency.infer", "MNIST_MLP", 1020, "us/op", 1),
                run("ReceiptCost.signature", "", 850, "us/op", 1),
                run("DirectPathLatency.transportFloor", "", 300, "us/op", 1))
            .render();

    assertThat(text)
        .contains("MNIST_MLP: the direct path adds 1000 µs per request (= 50.0× the 20.0 µs")
        .contains("goal ≤ 200 µs: missed by 800 µs")
        .contains("of which the secp256k1 signature 850 µs (85%); without it 150 µs: within")
        .contains("of which an HTTP round trip that does no work (GET /health) 300 µs (30%)");
  }

  @Test
  void goalLinesCompareTheBinaryFormWithJsonAndTheEarlierPathAndNameTheReceipt()
      throws IOException {
    String text =
        report(
                run("OnnxRuntimeBaseline.run", "MNIST_MLP", 10, "us/op", 1),
                run("DirectPathLatency.infer", "MNIST_MLP", 160, "us/op", 1),
                run("DirectPathLatency.inferJson", "MNIST_MLP", 210, "us/op", 1),
                run("DirectPathLatency.inferJdkHttpClientJson", "MNIST_MLP", 410, "us/op", 1),
                run("ReceiptCost.fullReceipt", "MNIST_MLP", 75, "us/op", 1))
            .render();

    assertThat(text)
        .contains("MNIST_MLP: the direct path adds 150 µs")
        .contains("of which the receipt (hashes, digest, signature) 75 µs (50%)")
        .contains("in the JSON form instead of the binary one it adds 200 µs")
        .contains("(the SDK's earlier path) it adds 400 µs");
  }

  @Test
  void rowsFollowTheReadingOrderNotTheOrderOfTheRun() throws IOException {
    String text =
        report(
                run("DirectPathLatency.infer", "MNIST_MLP", 1020, "us/op", 1),
                run("ReceiptCost.fullReceipt", "MNIST_MLP", 800, "us/op", 1),
                run("OnnxRuntimeBaseline.run", "MNIST_MLP", 20, "us/op", 1))
            .render();

    assertThat(text)
        .containsSubsequence(
            "\n  OnnxRuntimeBaseline.run ",
            "\n  ReceiptCost.fullReceipt ",
            "\n  DirectPathLatency.infer ");
  }

  @Test
  void goalLineSaysMetWhenTheOverheadIsSmall() throws IOException {
    String text =
        report(
                run("OnnxRuntimeBaseline.run", "MNIST_MLP", 20, "us/op", 1),
                run("DirectPathLatency.infer", "MNIST_MLP", 170, "us/op", 1))
            .render();

    assertThat(text).contains("adds 150 µs").contains("goal ≤ 200 µs: met");
  }

  @Test
  void missingBaselineGivesNoRatioRatherThanAWrongOne() throws IOException {
    DirectPathReport r = report(run("DirectPathLatency.infer", "MNIST_MLP", 1020, "us/op", 1));

    assertThat(r.ratio(r.find("DirectPathLatency.infer", "MNIST_MLP").orElseThrow())).isEmpty();
    assertThat(r.addedMicros("DirectPathLatency.infer", "MNIST_MLP")).isEmpty();
  }

  @Test
  void aFileThatIsNotAJmhResultArrayIsRefusedNamingTheFlags() throws IOException {
    Path json = dir.resolve("other.json");
    Files.writeString(json, "{\"benchmarks\": []}");

    assertThatThrownBy(() -> JmhScore.read(json)).hasMessageContaining("-rf json");
  }
}
