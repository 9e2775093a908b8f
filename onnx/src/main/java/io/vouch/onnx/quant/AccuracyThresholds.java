package io.vouch.onnx.quant;

import java.util.Locale;
import java.util.Optional;

/**
 * What a compiled model must meet against ONNX Runtime on its calibration inputs, per output (see
 * {@link AccuracyMeasure} for which output is held to which figure).
 *
 * @param task the measure every output is held to, or null for {@link AccuracyMeasure#forOutput}
 * @param minAgreement least top-1 agreement of a {@link AccuracyMeasure#TOP_ONE} output, in [0, 1]
 * @param minCosine least mean cosine similarity of a {@link AccuracyMeasure#COSINE} output, in [-1,
 *     1]
 * @param maxRelativeError largest max relative error of a {@link AccuracyMeasure#COSINE} or {@link
 *     AccuracyMeasure#RELATIVE_ERROR} output, at least 0
 */
public record AccuracyThresholds(
    AccuracyMeasure task, double minAgreement, double minCosine, double maxRelativeError) {
  /** Default least top-1 agreement. */
  public static final double DEFAULT_MIN_AGREEMENT = MlpQuantizer.MIN_AGREEMENT;

  /** Default least mean cosine similarity. */
  public static final double DEFAULT_MIN_COSINE = 0.99;

  /** Default largest max relative error (of the output's full scale). */
  public static final double DEFAULT_MAX_RELATIVE_ERROR = 0.2;

  public AccuracyThresholds {
    if (!(minAgreement >= 0 && minAgreement <= 1)) {
      throw new IllegalArgumentException("--min-agreement must be in [0, 1], got " + minAgreement);
    }
    if (!(minCosine >= -1 && minCosine <= 1)) {
      throw new IllegalArgumentException("--min-cosine must be in [-1, 1], got " + minCosine);
    }
    if (!(maxRelativeError >= 0) || Double.isInfinite(maxRelativeError)) {
      throw new IllegalArgumentException(
          "--max-relative-error must be a number at least 0, got " + maxRelativeError);
    }
  }

  /** The defaults, with the given least top-1 agreement. */
  public static AccuracyThresholds topOne(double minAgreement) {
    return new AccuracyThresholds(
        null, minAgreement, DEFAULT_MIN_COSINE, DEFAULT_MAX_RELATIVE_ERROR);
  }

  /** The defaults. */
  public static AccuracyThresholds defaults() {
    return topOne(DEFAULT_MIN_AGREEMENT);
  }

  /**
   * Why this output falls short, naming the output, the measure, the measured value, the threshold
   * and the fix; empty when it meets every threshold of its measure.
   */
  public Optional<String> refusal(OutputAccuracy a, int inputs) {
    String what;
    switch (a.measure()) {
      case TOP_ONE -> {
        if (a.topOne() >= minAgreement) {
          return Optional.empty();
        }
        what =
            format(
                "top-1 agreement %.2f %% is below --min-agreement %s",
                100 * a.topOne(), plain(minAgreement));
      }
      case COSINE -> {
        if (a.meanCosine() < minCosine) {
          what =
              format(
                  "mean cosine similarity %.6f is below --min-cosine %s",
                  a.meanCosine(), plain(minCosine));
        } else if (a.maxRelativeError() > maxRelativeError) {
          what = relativeError(a);
        } else {
          return Optional.empty();
        }
      }
      case RELATIVE_ERROR -> {
        if (a.maxRelativeError() <= maxRelativeError) {
          return Optional.empty();
        }
        what = relativeError(a);
      }
      default -> throw new IllegalStateException("unreachable");
    }
    String option =
        switch (a.measure()) {
          case TOP_ONE -> "--min-agreement";
          case COSINE -> a.meanCosine() < minCosine ? "--min-cosine" : "--max-relative-error";
          case RELATIVE_ERROR -> "--max-relative-error";
        };
    return Optional.of(
        format(
            "output '%s' (%s, %s over %d rows of length %d from %d calibration inputs): %s."
                + " Calibrate on more inputs like the ones the model will see (--calibration"
                + " FILE), set %s if this accuracy is enough, choose the measure with --task%s,"
                + " or keep this model at the VANILLA/TEE levels",
            a.name(),
            task != null ? "--task " + taskName(task) : "measured automatically",
            a.measure().label(),
            a.rows(),
            a.rowLength(),
            inputs,
            what,
            option,
            task != null ? "" : " (classify, embed or regress)"));
  }

  /** The {@code --task} value of a measure: classify, embed, regress. */
  public static String taskName(AccuracyMeasure m) {
    return switch (m) {
      case TOP_ONE -> "classify";
      case COSINE -> "embed";
      case RELATIVE_ERROR -> "regress";
    };
  }

  private String relativeError(OutputAccuracy a) {
    return format(
        "max relative error %.4f (of the output's full scale) is above --max-relative-error %s",
        a.maxRelativeError(), plain(maxRelativeError));
  }

  private static String plain(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static String format(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
