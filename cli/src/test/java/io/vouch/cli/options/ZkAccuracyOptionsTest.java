package io.vouch.cli.options;

import static io.vouch.cli.options.OptionGroupProbe.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.onnx.quant.AccuracyMeasure;
import io.vouch.onnx.quant.AccuracyThresholds;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ZkAccuracyOptionsTest {
  @Test
  void byDefaultTheMeasureIsChosenPerOutputWithTheDocumentedThresholds() {
    AccuracyThresholds t = parse(new ZkAccuracyOptions()).thresholds();

    assertThat(t).isEqualTo(new AccuracyThresholds(null, 0.99, 0.99, 0.2));
    assertThat(t).isEqualTo(AccuracyThresholds.defaults());
  }

  @Test
  void aTaskHoldsEveryOutputToOneMeasure() {
    assertThat(parse(new ZkAccuracyOptions(), "--task", "classify").thresholds().task())
        .isEqualTo(AccuracyMeasure.TOP_ONE);
    assertThat(parse(new ZkAccuracyOptions(), "--task", "embed").thresholds().task())
        .isEqualTo(AccuracyMeasure.COSINE);
    assertThat(parse(new ZkAccuracyOptions(), "--task", "regress").thresholds().task())
        .isEqualTo(AccuracyMeasure.RELATIVE_ERROR);
  }

  @Test
  void theyCanComeFromTheEnvironment() {
    AccuracyThresholds t =
        parse(
                new ZkAccuracyOptions(),
                Map.of(
                    "VOUCH_TASK", "embed",
                    "VOUCH_MIN_COSINE", "0.95",
                    "VOUCH_MAX_RELATIVE_ERROR", "0.3",
                    "VOUCH_MIN_AGREEMENT", "0.9"))
            .thresholds();

    assertThat(t).isEqualTo(new AccuracyThresholds(AccuracyMeasure.COSINE, 0.9, 0.95, 0.3));
  }

  @Test
  void aValueOutOfRangeIsRefusedNamingTheFlag() {
    assertThatThrownBy(() -> parse(new ZkAccuracyOptions(), "--min-cosine", "2").thresholds())
        .hasMessage("--min-cosine must be in [-1, 1], got 2.0");
    assertThatThrownBy(
            () -> parse(new ZkAccuracyOptions(), "--max-relative-error", "-1").thresholds())
        .hasMessage("--max-relative-error must be a number at least 0, got -1.0");
    assertThatThrownBy(() -> parse(new ZkAccuracyOptions(), "--min-agreement", "99").thresholds())
        .hasMessage("--min-agreement must be in [0, 1], got 99.0");
  }

  @Test
  void anUnknownTaskIsAUsageError() {
    assertThatThrownBy(() -> parse(new ZkAccuracyOptions(), "--task", "cluster"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("auto, classify, embed, regress");
  }
}
