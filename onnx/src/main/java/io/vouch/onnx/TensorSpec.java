package io.vouch.onnx;

import io.vouch.core.tensor.DType;
import java.util.Arrays;
import java.util.Objects;

/**
 * The declared name, element type and shape of a model input or output. A dimension of {@link
 * #DYNAMIC} (-1) accepts any size (ONNX {@code dim_param} or an unset dimension, typically the
 * batch).
 */
public record TensorSpec(String name, DType dtype, int[] shape) {
  public static final int DYNAMIC = -1;

  public TensorSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
    for (int d : shape) {
      if (d < DYNAMIC) {
        throw new IllegalArgumentException(
            "dimension " + d + " in shape of '" + name + "'; use -1 for a dynamic dimension");
      }
    }
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public boolean isDynamic(int axis) {
    return shape[axis] == DYNAMIC;
  }

  /** True when {@code actual} has this rank and matches every fixed dimension. */
  public boolean accepts(int[] actual) {
    if (actual.length != shape.length) {
      return false;
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] != DYNAMIC && shape[i] != actual[i]) {
        return false;
      }
    }
    return true;
  }

  /** The shape as people write it: {@code [N, 784]} with {@code N} for a dynamic dimension. */
  public String shapeText() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(shape[i] == DYNAMIC ? "N" : Integer.toString(shape[i]));
    }
    return b.append(']').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + ": " + dtype.jsonName() + " " + shapeText();
  }
}
