package io.vouch.onnx.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.tensor.DType;
import io.vouch.onnx.TensorSpec;
import org.junit.jupiter.api.Test;

/** The automatic choice of measure per output, the thresholds' ranges and the refusal's words. */
class AccuracyThresholdsTest {
  private static AccuracyMeasure of(int... shape) {
    return AccuracyMeasure.forOutput(new TensorSpec("y", DType.FLOAT32, shape));
  }

  @Test
  void oneAxisOfClassesIsTopOne() {
    assertThat(of(-1, 10)).isEqualTo(AccuracyMeasure.TOP_ONE);
    assertThat(of(1, 2)).isEqualTo(AccuracyMeasure.TOP_ONE);
    assertThat(of(10)).isEqualTo(AccuracyMeasure.TOP_ONE);
  }

  @Test
  void oneValuePerRowIsRelativeError() {
    assertThat(of(-1, 1)).isEqualTo(AccuracyMeasure.RELATIVE_ERROR);
    assertThat(of(-1)).isEqualTo(AccuracyMeasure.RELATIVE_ERROR);
    assertThat(of(-1, 16, 1)).isEqualTo(AccuracyMeasure.RELATIVE_ERROR);
    assertThat(of()).isEqualTo(AccuracyMeasure.RELATIVE_ERROR);
  }

  @Test
  void severalRowsAreCosine() {
    assertThat(of(-1, 32, 64)).isEqualTo(AccuracyMeasure.COSINE);
    assertThat(of(1, 3, 8, 8)).isEqualTo(AccuracyMeasure.COSINE);
  }

  @Test
  void thresholdsOutOfRangeAreRefusedNamingTheFlag() {
    assertThatThrownBy(() -> new AccuracyThresholds(null, 1.01, 0.99, 0.2))
        .hasMessageContaining("--min-agreement must be in [0, 1]");
    assertThatThrownBy(() -> new AccuracyThresholds(null, 0.99, -1.5, 0.2))
        .hasMessageContaining("--min-cosine must be in [-1, 1]");
    assertThatThrownBy(() -> new AccuracyThresholds(null, 0.99, 0.99, -0.1))
        .hasMessageContaining("--max-relative-error must be a number at least 0");
    assertThatThrownBy(() -> new AccuracyThresholds(null, Double.NaN, 0.99, 0.2))
        .hasMessageContaining("--min-agreement");
    assertThatThrownBy(() -> new AccuracyThresholds(null, 0.99, 0.99, Double.POSITIVE_INFINITY))
        .hasMessageContaining("--max-relative-error");
  }

  @Test
  void eachMeasureIsHeldOnlyToItsOwnThresholds() {
    AccuracyThresholds t = AccuracyThresholds.defaults();
    // a classifier with a poor cosine passes on top-1; a regression with poor top-1 on its error
    assertThat(t.refusal(accuracy(AccuracyMeasure.TOP_ONE, 1.0, 0.5, 0.9), 10)).isEmpty();
    assertThat(t.refusal(accuracy(AccuracyMeasure.RELATIVE_ERROR, 0.0, 0.5, 0.1), 10)).isEmpty();
    assertThat(t.refusal(accuracy(AccuracyMeasure.COSINE, 0.0, 0.995, 0.1), 10)).isEmpty();
    assertThat(t.refusal(accuracy(AccuracyMeasure.TOP_ONE, 0.98, 1, 0), 10)).isPresent();
    assertThat(t.refusal(accuracy(AccuracyMeasure.COSINE, 1, 0.98, 0), 10)).isPresent();
    assertThat(t.refusal(accuracy(AccuracyMeasure.COSINE, 1, 1, 0.25), 10)).isPresent();
    assertThat(t.refusal(accuracy(AccuracyMeasure.RELATIVE_ERROR, 1, 1, 0.25), 10)).isPresent();
  }

  @Test
  void theRefusalNamesOutputMeasureValueThresholdAndFix() {
    String message =
        AccuracyThresholds.defaults()
            .refusal(accuracy(AccuracyMeasure.COSINE, 1, 0.9512, 0.01), 64)
            .orElseThrow();

    assertThat(message)
        .startsWith(
            "output 'y' (measured automatically, cosine similarity over 128 rows of length 8 from"
                + " 64 calibration inputs): mean cosine similarity 0.951200 is below --min-cosine"
                + " 0.99.")
        .contains("--calibration FILE")
        .contains("set --min-cosine if this accuracy is enough")
        .contains("--task (classify, embed or regress)")
        .contains("VANILLA/TEE");
  }

  private static OutputAccuracy accuracy(
      AccuracyMeasure m, double topOne, double cosine, double relative) {
    return new OutputAccuracy("y", m, 8, 128, topOne, cosine, cosine, relative);
  }
}
