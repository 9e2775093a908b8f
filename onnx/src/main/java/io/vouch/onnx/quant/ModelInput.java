package io.vouch.onnx.quant;

/**
 * One input of an {@link IntegerModel}: its name, shape and how float values become int8 — or, for
 * an index input ({@code indexRange} &gt; 0: token ids read by an embedding), integers in [0,
 * indexRange) carried as 4-byte little-endian values in the statement.
 */
public record ModelInput(
    String name, TensorShape shape, InputQuantization quantization, int indexRange) {
  public ModelInput {
    if (name == null || shape == null || quantization == null) {
      throw new IllegalArgumentException("an input needs a name, a shape and a quantization");
    }
    if (indexRange < 0) {
      throw new IllegalArgumentException("an index range must be positive, got " + indexRange);
    }
  }

  /** An int8 input quantized from floats. */
  public ModelInput(String name, TensorShape shape, InputQuantization quantization) {
    this(name, shape, quantization, 0);
  }

  /** An index input: integers in [0, range). */
  public static ModelInput indices(String name, TensorShape shape, int range) {
    return new ModelInput(name, shape, new InputQuantization(1, 0), range);
  }

  public boolean isIndex() {
    return indexRange > 0;
  }

  /** Bytes per value in the statement's input: 1 (int8) or 4 (an index, little-endian). */
  public int bytesPerValue() {
    return isIndex() ? 4 : 1;
  }
}
