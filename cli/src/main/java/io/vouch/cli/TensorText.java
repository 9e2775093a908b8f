package io.vouch.cli;

import io.vouch.core.tensor.Tensor;
import java.util.Locale;

/**
 * A tensor's values as a person reads them: nested brackets by shape ({@code [[1.2, -0.5, 3]]}),
 * floats with up to four decimals, at most {@value #MAX_VALUES} values and then how many more.
 */
final class TensorText {
  static final int MAX_VALUES = 32;

  private TensorText() {}

  /** {@code float32 [1, 3] = [[0.1234, -2, 7.5]]}. */
  static String of(Tensor t) {
    StringBuilder b = new StringBuilder();
    b.append(t.dtype().jsonName()).append(' ').append(shapeText(t.shape())).append(" = ");
    int[] shape = t.shape();
    long n = t.elementCount();
    if (shape.length == 0) {
      return b.append(value(t, 0)).toString();
    }
    int[] printed = {0};
    values(b, t, shape, 0, 0, printed);
    if (n > printed[0]) {
      b.append(" … (").append(n - printed[0]).append(" more)");
    }
    return b.toString();
  }

  private static void values(
      StringBuilder b, Tensor t, int[] shape, int axis, long offset, int[] printed) {
    b.append('[');
    long stride = 1;
    for (int i = axis + 1; i < shape.length; i++) {
      stride *= shape[i];
    }
    for (int i = 0; i < shape[axis] && printed[0] < MAX_VALUES; i++) {
      if (i > 0) {
        b.append(", ");
      }
      if (axis == shape.length - 1) {
        b.append(value(t, (int) (offset + i)));
        printed[0]++;
      } else {
        values(b, t, shape, axis + 1, offset + i * stride, printed);
      }
    }
    b.append(']');
  }

  private static String value(Tensor t, int i) {
    double v = t.getAsDouble(i);
    if (!t.dtype().isFloating()) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.4f", v);
    s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    return s.equals("-0") ? "0" : s;
  }

  static String shapeText(int[] shape) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      b.append(i > 0 ? ", " : "").append(shape[i]);
    }
    return b.append(']').toString();
  }
}
