package io.vouch.cli.options;

import io.vouch.onnx.quant.AccuracyMeasure;
import io.vouch.onnx.quant.AccuracyThresholds;
import picocli.CommandLine.Option;

/**
 * {@code --task}, {@code --min-agreement}, {@code --min-cosine}, {@code --max-relative-error} of
 * {@code vouch zk compile} and {@code vouch model push --levels zkml}: what the integer model must
 * meet against ONNX Runtime on the calibration inputs, as onnx's {@link AccuracyThresholds}.
 * Refusals: a value out of its range ({@code --min-agreement} outside [0, 1], {@code --min-cosine}
 * outside [-1, 1], a negative {@code --max-relative-error}) is an {@link IllegalArgumentException}
 * naming the flag; a {@code --task} outside its four values is picocli's usage error.
 */
public final class ZkAccuracyOptions {
  /** The values of {@code --task}. */
  public enum Task {
    auto,
    classify,
    embed,
    regress
  }

  @Option(
      names = "--task",
      defaultValue = "auto",
      description =
          "Which measure every output is held to: classify (top-1 agreement), embed (mean"
              + " cosine similarity per row and max relative error) or regress (max relative"
              + " error); auto (the default) chooses per output from its shape: one axis of"
              + " two or more values is classify, one value per row is regress, several rows"
              + " are embed.")
  Task task;

  @Option(
      names = "--min-agreement",
      defaultValue = "0.99",
      description =
          "Least top-1 agreement of a classify output with ONNX Runtime on the calibration"
              + " inputs, in [0, 1] (default 0.99).")
  double minAgreement;

  @Option(
      names = "--min-cosine",
      defaultValue = "0.99",
      description =
          "Least mean cosine similarity, over the rows of an embed output, of the dequantized"
              + " integer rows with ONNX Runtime's, in [-1, 1] (default 0.99).")
  double minCosine;

  @Option(
      names = "--max-relative-error",
      defaultValue = "0.2",
      description =
          "Largest error of any value of an embed or regress output against ONNX Runtime,"
              + " relative to the output's full scale (its largest magnitude over the calibration"
              + " inputs), at least 0 (default 0.2).")
  double maxRelativeError;

  /**
   * The thresholds these options state.
   *
   * @throws IllegalArgumentException naming the flag whose value is out of range
   */
  public AccuracyThresholds thresholds() {
    AccuracyMeasure measure =
        switch (task) {
          case auto -> null;
          case classify -> AccuracyMeasure.TOP_ONE;
          case embed -> AccuracyMeasure.COSINE;
          case regress -> AccuracyMeasure.RELATIVE_ERROR;
        };
    return new AccuracyThresholds(measure, minAgreement, minCosine, maxRelativeError);
  }
}
