package io.vouch.onnx.quant;

/**
 * The logical shape of one activation of an {@link IntegerModel}, the batch axis dropped: channels
 * × height × width, stored row-major (NCHW order). A vector of n values is n × 1 × 1, so a Flatten
 * of [C, H, W] is [C·H·W, 1, 1] holding the same values in the same order.
 */
public record TensorShape(int channels, int height, int width) {
  public TensorShape {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "tensor dimensions must be positive, got " + channels + "×" + height + "×" + width);
    }
    if ((long) channels * height * width > 1 << 28) {
      throw new IllegalArgumentException(
          "tensor of " + channels + "×" + height + "×" + width + " values is too large");
    }
  }

  /** A vector of n values (n × 1 × 1). */
  public static TensorShape vector(int n) {
    return new TensorShape(n, 1, 1);
  }

  /** Number of values. */
  public int size() {
    return channels * height * width;
  }

  /** Values per channel: height × width. */
  public int spatial() {
    return height * width;
  }

  @Override
  public String toString() {
    return height == 1 && width == 1
        ? "[" + channels + "]"
        : "[" + channels + ", " + height + ", " + width + "]";
  }
}
