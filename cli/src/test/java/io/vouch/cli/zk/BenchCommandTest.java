package io.vouch.cli.zk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.benchmodels.ZkBenchmarkModels;
import io.vouch.benchmodels.ZkBenchmarkModels.BenchModel;
import io.vouch.benchmodels.ZkBenchmarkModels.Kind;
import io.vouch.benchmodels.ZkTarget;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.AccuracyThresholds;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vouch bench zkml} on the small models: one JSON row per model and a table with the same
 * figures, checked for sanity (positive times and sizes, soundness ≥ 100 bits, agreement in [0, 1])
 * and for consistency with the targets written in {@link ZkTarget}; no timing is asserted against a
 * number. BERT_22M and GPT2_SMALL are never run here (minutes, 8 GB): their presence in {@code
 * --help} and the refusal of a too-small heap, in a JVM of 256 MB, are.
 */
class BenchCommandTest {
  @TempDir Path dir;

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new BenchCommand());
    cl.setOut(new PrintWriter(out, true));
    int exit = cl.execute(args);
    assertThat(exit).as(out.toString()).isZero();
    return out.toString();
  }

  @Test
  void zkmlJsonCarriesEveryFigureAndTheTargetVerdict() throws Exception {
    JsonNode rows =
        new ObjectMapper()
            .readTree(run("zkml", "--rounds", "1", "--models", "MNIST_MLP,LENET5", "--json"));

    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).get("model").asText()).isEqualTo("MNIST_MLP");
    assertThat(rows.get(0).get("shape").asText()).isEqualTo("784-128-10");
    assertThat(rows.get(1).get("model").asText()).isEqualTo("LENET5");
    for (JsonNode row : rows) {
      for (String f :
          List.of(
              "inferenceMicros",
              "proveMillis",
              "verifyMillis",
              "inferenceCpuMicros",
              "proveCpuMillis",
              "verifyCpuMillis",
              "proverCpuOverInference",
              "verifyCpuOverProve")) {
        assertThat(row.get(f).asDouble()).as(f).isPositive();
      }
      assertThat(row.get("parameters").asLong()).isPositive();
      assertThat(row.get("proofBytes").asInt()).isPositive();
      assertThat(row.get("soundnessBits").asDouble()).isGreaterThanOrEqualTo(100);
      // bytes allocated per proof / verification by all threads: a proof allocates at least the
      // proof it returns
      assertThat(row.get("proveAllocatedBytes").isIntegralNumber()).isTrue();
      assertThat(row.get("proveAllocatedBytes").asLong())
          .isGreaterThanOrEqualTo(row.get("proofBytes").asLong());
      assertThat(row.get("verifyAllocatedBytes").asLong()).isPositive();
      // peaks: the heap held at least the proof, within this JVM's heap; RSS at least the heap's
      // share that was touched, so at least the proof
      assertThat(row.get("peakHeapBytes").asLong())
          .isGreaterThan(row.get("proofBytes").asLong())
          .isLessThanOrEqualTo(row.get("maxHeapBytes").asLong());
      assertThat(row.get("peakRssBytes").asLong()).isGreaterThan(row.get("proofBytes").asLong());
      assertThat(row.get("peakRssSince").asText()).isIn("model build", "JVM start");
      // the ratios are the figures' ratios
      assertThat(row.get("proverOverInference").asDouble())
          .isCloseTo(
              row.get("proveMillis").asDouble() * 1000 / row.get("inferenceMicros").asDouble(),
              org.assertj.core.data.Percentage.withPercentage(1e-6));
      assertThat(row.get("verifyOverProve").asDouble())
          .isCloseTo(
              row.get("verifyMillis").asDouble() / row.get("proveMillis").asDouble(),
              org.assertj.core.data.Percentage.withPercentage(1e-6));
      // agreement per output, under the measure its shape chooses: [N, 10] is a class axis
      JsonNode agreement = row.get("agreement");
      assertThat(agreement).hasSize(1);
      assertThat(agreement.get(0).get("measure").asText()).isEqualTo("top-1 agreement");
      assertThat(agreement.get(0).get("task").asText()).isEqualTo("classify");
      assertThat(agreement.get(0).get("value").asDouble())
          .isBetween(0.0, 1.0)
          .isEqualTo(agreement.get(0).get("topOneAgreement").asDouble())
          .isEqualTo(row.get("topOneAgreement").asDouble());
      assertThat(agreement.get(0).get("meanCosineSimilarity").asDouble()).isBetween(-1.0, 1.0);
      assertThat(row.get("agreementInputs").asInt()).isPositive();
      // the verdict follows from the figures and the targets written in ZkTarget
      JsonNode target = row.get("target");
      ZkTarget expected = Kind.valueOf(row.get("model").asText()).target();
      List<String> missed =
          expected.missed(
              row.get("proveMillis").asDouble(),
              row.get("proverOverInference").asDouble(),
              row.get("verifyOverProve").asDouble(),
              row.get("soundnessBits").asDouble(),
              row.get("peakRssBytes").asDouble());
      List<String> reported = new ArrayList<>();
      target.get("missed").forEach(m -> reported.add(m.asText()));
      assertThat(reported).isEqualTo(missed);
      assertThat(target.get("met").asBoolean()).isEqualTo(missed.isEmpty());
      assertThat(target.get("maxProverOverInference").asDouble()).isEqualTo(10);
      assertThat(target.get("maxVerifyOverProve").asDouble()).isEqualTo(0.1);
      assertThat(target.get("minSoundnessBits").asDouble()).isEqualTo(100);
      assertThat(target.get("memoryBytes").isNull()).isTrue();
    }
    // issue 13's table: LeNet-5 ≤ 10 ms; the MNIST MLP has no time target of its own
    assertThat(rows.get(0).get("target").get("proveMillis").isNull()).isTrue();
    assertThat(rows.get(1).get("target").get("proveMillis").asDouble()).isEqualTo(10);
  }

  /** A row of the table: every column parsed back. */
  private static final Pattern ROW =
      Pattern.compile(
          "^(\\S+) +(.+?) +([\\d,]+) +([\\d.]+) +([\\d.]+) +([\\d.]+) +([\\d,]+) +([\\d.]+)"
              + " +(\\d+) +(\\d+) +([\\d.]+)× +([\\d.]+) +([\\d.]+)× +([\\d.]+) +([\\d.]+)"
              + " +(top-1 [\\d.]+%|cos -?[\\d.]+|rel [\\d.]+) +(\\d+) +(met|not met: .+)$",
          Pattern.MULTILINE);

  @Test
  void zkmlTableShowsEveryColumnAndExplainsThem() {
    String out = run("zkml", "--rounds", "1", "--models", "SUPPORT_INTENTS");
    System.out.println(out); // the table as a user sees it, in the test's report

    assertThat(out.lines().findFirst().orElseThrow())
        .contains("prove MB", "heap MB", "RSS MB", "prove/inf", "verify/prove", "bits")
        .contains("agreement", "target");
    Matcher m = ROW.matcher(out);
    assertThat(m.find()).as(out).isTrue();
    assertThat(m.group(1)).isEqualTo("SUPPORT_INTENTS");
    double prove = Double.parseDouble(m.group(5));
    double verify = Double.parseDouble(m.group(6));
    assertThat(Double.parseDouble(m.group(4))).isPositive(); // inference µs
    assertThat(prove).isPositive();
    assertThat(verify).isPositive();
    assertThat(Long.parseLong(m.group(7).replace(",", ""))).isPositive(); // proof bytes
    assertThat(Long.parseLong(m.group(9))).isPositive(); // heap MB
    assertThat(Long.parseLong(m.group(10))).isPositive(); // RSS MB
    // the ratio of the unrounded figures: within what the columns' two decimals allow (a proof of
    // 0.25 ms and a verification of 0.23 ms may be 0.2549 and 0.2250, a ratio of 0.883 to 0.959)
    assertThat(Double.parseDouble(m.group(12)))
        .isBetween(
            (verify - 0.005) / (prove + 0.005) - 5e-4, (verify + 0.005) / (prove - 0.005) + 5e-4);
    // CPU p/inf and CPU v/p: figures, not a zero or an infinity from a CPU clock that did not tick
    // over a round (CI's one round of 0.17 ms proofs printed 0.0× and Infinity before rounds were
    // sized by time)
    assertThat(Double.parseDouble(m.group(13))).isPositive();
    assertThat(Double.parseDouble(m.group(14))).isPositive();
    assertThat(Double.parseDouble(m.group(15))).isGreaterThanOrEqualTo(100); // bits
    assertThat(m.group(16)).startsWith("top-1 ");
    double agreement = Double.parseDouble(m.group(16).replaceAll("^top-1 |%$", "")) / 100;
    assertThat(agreement).isBetween(0.0, 1.0);
    // the verdict names exactly the targets the printed figures miss (no time target of its own)
    List<String> missed =
        ZkTarget.COMMON.missed(
            prove,
            Double.parseDouble(m.group(11)),
            Double.parseDouble(m.group(12)),
            Double.parseDouble(m.group(15)),
            Double.NaN);
    String verdict = m.group(18);
    if (verdict.equals("met")) {
      assertThat(missed).isEmpty();
    } else {
      // the printed ratios are rounded: a ratio at the bound may fall on either side
      assertThat(List.of(verdict.substring("not met: ".length()).split(", ")))
          .isSubsetOf("prove", "prove/inf", "verify/prove", "bits", "memory")
          .doesNotContain("prove", "bits", "memory");
    }
    // notes below the table explain each column and give the targets
    assertThat(out)
        .contains("prove MB: bytes allocated per proof")
        .contains("heap MB: peak heap in use")
        .contains("RSS MB: peak resident memory")
        .contains("agreement: the integer model against ONNX Runtime")
        .contains("target: the project's ZKML targets")
        .contains("prove/inf ≤ 10×, verify/prove ≤ 0.1, bits ≥ 100");
  }

  @Test
  void roundsSpanEnoughTimeForTheCpuClockAndAStillClockGivesNoFigure() {
    // the process CPU clock ticks every 10 ms here: a round of a 0.17 ms proof spans 0.25 s
    for (long nanos : new long[] {250, 170_000, 13_000, 4_000_000, 249_999_999}) {
      assertThat(BenchCommand.runsPerRound(nanos) * nanos)
          .as("%d ns", nanos)
          .isGreaterThanOrEqualTo(BenchCommand.ROUND_NANOS);
    }
    assertThat(BenchCommand.runsPerRound(7_600_000_000L)).isEqualTo(1); // a GPT-2 proof
    // no tick between the readings, or no clock: no figure (printed n/a, null in --json)
    assertThat(BenchCommand.cpuPerRun(5_000_000, 5_000_000, 20)).isNaN();
    assertThat(BenchCommand.cpuPerRun(-1, -1, 20)).isNaN();
    assertThat(BenchCommand.cpuPerRun(0, 10_000_000, 20)).isEqualTo(500_000);
  }

  @Test
  void theLargeModelsAreKindsListedInHelpButNotInTheDefaultSet() {
    String help = run("zkml", "--help");

    assertThat(help).contains("BERT_22M").contains("GPT2_SMALL").contains("JAVA_OPTS=-Xmx8g");
    CommandLine cl = new CommandLine(new BenchCommand());
    String defaults =
        cl.getSubcommands().get("zkml").getCommandSpec().findOption("--models").defaultValue();
    assertThat(defaults).doesNotContain("BERT_22M").doesNotContain("GPT2_SMALL");
    assertThat(Kind.BERT_22M.target().proveMillis()).isEqualTo(3_000);
    assertThat(Kind.GPT2_SMALL.target().proveMillis()).isEqualTo(15_000);
    assertThat(Kind.GPT2_SMALL.target().memoryBytes()).isEqualTo(16_000_000_000L);
  }

  @Test
  void heapRefusalNamesTheHeapNeededAndHowToGiveIt() {
    long need = ZkBenchmarkModels.LARGE_HEAP;
    assertThat(BenchCommand.Zkml.heapRefusal(List.of(Kind.LENET5, Kind.CNN_264K), 1L << 28))
        .isNull();
    assertThat(BenchCommand.Zkml.heapRefusal(List.of(Kind.BERT_22M), need)).isNull();
    String both =
        BenchCommand.Zkml.heapRefusal(
            List.of(Kind.LENET5, Kind.BERT_22M, Kind.GPT2_SMALL), 3L << 30);
    assertThat(both)
        .contains("BERT_22M and GPT2_SMALL need a Java heap of at least 8 GB")
        .contains("this JVM's is 3.0 GB")
        .contains("JAVA_OPTS=-Xmx8g vouch bench zkml --models BERT_22M,GPT2_SMALL");
    assertThat(BenchCommand.Zkml.heapRefusal(List.of(Kind.GPT2_SMALL), need - (1L << 30)))
        .contains("GPT2_SMALL needs");
  }

  @Test
  void aLargeModelInASmallHeapIsRefusedBeforeAnythingStarts() {
    Run run =
        new VouchProcess(dir)
            .run(List.of("-Xmx256m"), "bench", "zkml", "--models", "LENET5,GPT2_SMALL");

    assertThat(run.code()).as(run.toString()).isEqualTo(2);
    assertThat(run.err())
        .contains("GPT2_SMALL needs a Java heap of at least 8 GB")
        .contains("JAVA_OPTS=-Xmx8g")
        .doesNotContain("OutOfMemoryError")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(run.out()).doesNotContain("LENET5"); // nothing measured, not even the small one
  }

  @Test
  void agreementColumnUsesTheMeasureTheOutputShapeChooses() {
    SplittableRandom r = new SplittableRandom(5);
    float[][] rows = new float[64][4 * 8];
    float[][] features = new float[64][8];
    for (int i = 0; i < 64; i++) {
      for (int j = 0; j < rows[i].length; j++) {
        rows[i][j] = (float) r.nextDouble();
      }
      for (int j = 0; j < 8; j++) {
        features[i][j] = (float) r.nextDouble();
      }
    }
    BenchModel embedder =
        ZkBenchmarkModels.quantized(
            "EMBED",
            "",
            OnnxModelFile.parse(ZkCompileAccuracyTest.embedder(3)),
            rows,
            rows[0],
            AccuracyThresholds.defaults(),
            -1);
    BenchModel regressor =
        ZkBenchmarkModels.quantized(
            "REGRESS",
            "",
            OnnxModelFile.parse(ZkCompileAccuracyTest.regressor(4)),
            features,
            features[0],
            AccuracyThresholds.defaults(),
            -1);

    String cos = BenchCommand.Zkml.agreement(embedder);
    String rel = BenchCommand.Zkml.agreement(regressor);
    assertThat(cos).matches("cos 0\\.\\d{4}");
    assertThat(Double.parseDouble(cos.substring(4)))
        .isCloseTo(
            embedder.agreement().outputs().get(0).meanCosine(),
            org.assertj.core.data.Offset.offset(1e-4))
        .isBetween(0.99, 1.0);
    assertThat(rel).matches("rel 0\\.\\d{4}");
    assertThat(Double.parseDouble(rel.substring(4)))
        .isCloseTo(
            regressor.agreement().outputs().get(0).maxRelativeError(),
            org.assertj.core.data.Offset.offset(1e-4))
        .isBetween(0.0, 0.2);
    assertThat(
            String.format(Locale.ROOT, "%s", BenchCommand.Zkml.agreement(Kind.MNIST_MLP.build())))
        .matches("top-1 \\d+\\.\\d{2}%");
  }
}
