package io.vouch.onnx.quant;

/**
 * One output of an {@link IntegerModel}: the int64 accumulators of tensor {@code tensor} (an op
 * without requantization); {@code scale} is the real value of one unit, for dequantization only.
 */
public record ModelOutput(String name, int tensor, double scale) {
  public ModelOutput {
    if (name == null) {
      throw new IllegalArgumentException("an output needs a name");
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("output scale must be positive and finite, got " + scale);
    }
  }
}
