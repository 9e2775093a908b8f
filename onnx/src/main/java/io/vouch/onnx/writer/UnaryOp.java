package io.vouch.onnx.writer;

import java.util.Objects;

/**
 * A single-input, single-output ONNX op without attributes or constant inputs that keeps the width
 * of its input, written as one node: {@code Relu}, {@code Identity}, {@code Sigmoid}, ...
 */
public record UnaryOp(String opType) implements ChainStep {
  public UnaryOp {
    Objects.requireNonNull(opType, "opType");
    if (opType.isEmpty()) {
      throw new IllegalArgumentException("an op needs a type, e.g. \"Relu\"");
    }
  }
}
