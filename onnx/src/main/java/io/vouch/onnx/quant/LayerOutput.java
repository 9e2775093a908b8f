package io.vouch.onnx.quant;

/**
 * What a dense layer hands on: requantized int8 activations (hidden layers) or the raw int64
 * accumulators (the last layer's logits).
 *
 * <p>The last layer outputs logits rather than int8 because argmax and softmax only need the
 * accumulator, which is exact; a final requantization would add rounding and clamping for nothing.
 * Dequantize logits with {@link IntegerModel#logitScale()}.
 */
public sealed interface LayerOutput {
  /**
   * q = (multiplier·z + 2^(shift−1)) &gt;&gt; shift (round half up, floor shift), then the
   * activation's clamp to int8.
   *
   * @param multiplier ε in [1, 2^31)
   * @param shift s in [1, 62]
   */
  record Requantized(long multiplier, int shift, Activation activation) implements LayerOutput {
    public Requantized {
      if (multiplier < 1 || multiplier >= 1L << 31) {
        throw new IllegalArgumentException(
            "requantization multiplier must be in [1, 2^31), got " + multiplier);
      }
      if (shift < 1 || shift > 62) {
        throw new IllegalArgumentException("requantization shift must be in [1, 62], got " + shift);
      }
      if (activation == null) {
        throw new IllegalArgumentException("activation is required (RELU or CLAMP)");
      }
    }

    /** The rounding offset 2^(shift−1). */
    public long roundingOffset() {
      return 1L << (shift - 1);
    }
  }

  /** The int64 accumulators themselves (W·a + b). Only the last layer may output logits. */
  record Logits() implements LayerOutput {}
}
