package io.vouch.onnx.quant;

import io.vouch.onnx.TensorSpec;

/**
 * Which measure of agreement with ONNX Runtime an output is held to. {@link #forOutput} is the
 * automatic rule; {@code vouch zk compile --task} overrides it for every output.
 *
 * <ul>
 *   <li>{@link #TOP_ONE} (classification): the share of rows whose largest value is at the same
 *       index; required at least {@code --min-agreement}.
 *   <li>{@link #COSINE} (embedding): the mean cosine similarity of the dequantized rows with ONNX
 *       Runtime's, at least {@code --min-cosine}, and the max relative error, at most {@code
 *       --max-relative-error}.
 *   <li>{@link #RELATIVE_ERROR} (regression): the max relative error, at most {@code
 *       --max-relative-error}.
 * </ul>
 *
 * A row is the output's last axis for one calibration input (an output [N, 10] has one row of 10
 * per input, [N, 16, 64] has 16 rows of 64).
 */
public enum AccuracyMeasure {
  TOP_ONE("top-1 agreement"),
  COSINE("cosine similarity"),
  RELATIVE_ERROR("max relative error");

  private final String label;

  AccuracyMeasure(String label) {
    this.label = label;
  }

  /** How users read it: {@code top-1 agreement}, {@code cosine similarity}, ... */
  public String label() {
    return label;
  }

  /**
   * The automatic rule, from the output's declared shape without its batch axis: one axis of two or
   * more values (class scores, [N, C]) → {@link #TOP_ONE}; one value per row ([N, 1], [N]) → {@link
   * #RELATIVE_ERROR}; several rows of two or more values ([N, T, D]) → {@link #COSINE}.
   */
  public static AccuracyMeasure forOutput(TensorSpec output) {
    int[] shape = output.shape();
    int from = shape.length > 1 ? 1 : 0;
    if (shape.length == 0 || (shape.length == 1 && shape[0] == TensorSpec.DYNAMIC)) {
      return RELATIVE_ERROR; // a scalar, or [N]: one value per input
    }
    int last = shape[shape.length - 1];
    if (last == 1) {
      return RELATIVE_ERROR;
    }
    return shape.length - from <= 1 ? TOP_ONE : COSINE;
  }
}
