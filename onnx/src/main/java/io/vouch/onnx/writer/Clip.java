package io.vouch.onnx.writer;

/**
 * An ONNX {@code Clip} node: {@code y = min(max(x, min), max)}. An infinite bound is left out of
 * the node (the min or max input, or the attribute before opset 11), which ONNX reads as no bound.
 * The bounds are written as given, unchecked, so tests can build clips a consumer must refuse.
 */
public record Clip(float min, float max) implements ChainStep {
  public Clip {
    if (Float.isNaN(min) || Float.isNaN(max)) {
      throw new IllegalArgumentException("clip bounds must be numbers, got " + min + ", " + max);
    }
  }

  /** {@code Clip(x, min, max)}. */
  public static Clip between(float min, float max) {
    return new Clip(min, max);
  }

  /** {@code Clip(x, max = max)}, no lower bound. */
  public static Clip atMost(float max) {
    return new Clip(Float.NEGATIVE_INFINITY, max);
  }

  /** {@code Clip(x)} with neither bound: an identity. */
  public static Clip unbounded() {
    return new Clip(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
  }

  public boolean hasMin() {
    return min != Float.NEGATIVE_INFINITY;
  }

  public boolean hasMax() {
    return max != Float.POSITIVE_INFINITY;
  }
}
