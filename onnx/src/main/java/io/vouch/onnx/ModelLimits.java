package io.vouch.onnx;

/**
 * Size limits applied while parsing an ONNX file, so that a hostile or mistaken upload fails fast
 * with a clear message instead of exhausting a node's memory.
 *
 * @param maxModelBytes largest file accepted
 * @param maxNodes largest number of graph nodes
 * @param maxTensorElements largest declared element count of any initializer or fixed-shape input
 */
public record ModelLimits(long maxModelBytes, int maxNodes, long maxTensorElements) {
  /** 256 MiB, 10,000 nodes, 64 Mi elements per tensor: far above the models v1 targets. */
  public static final ModelLimits DEFAULT = new ModelLimits(256L << 20, 10_000, 64L << 20);

  public ModelLimits {
    if (maxModelBytes < 1 || maxNodes < 1 || maxTensorElements < 1) {
      throw new IllegalArgumentException("model limits must be positive");
    }
    if (maxModelBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "protobuf messages cannot exceed 2 GiB; maxModelBytes must be at most "
              + Integer.MAX_VALUE);
    }
  }
}
