package io.vouch.onnx.quant;

import java.util.Arrays;

/**
 * A unary function of int8 values through a table: y[i] = table[x[i] + 128]. Sigmoid, Tanh, Erf,
 * Gelu, Exp, Reciprocal, Sqrt (and any other function of one activation) quantize to one: the input
 * is an int8 code, so the function has exactly 256 arguments and the table is exact — the graph
 * quantizer fills it with round(f(s_in·(q − zp_in))/s_out) clamped to the output interval, and the
 * proof looks every (x, y) pair up in it.
 *
 * @param function the ONNX op (or ops) the table computes, for messages; part of the model's
 *     canonical form like every other field
 */
public record TableOp(int input, TensorShape outputShape, byte[] table, String function)
    implements IntegerOp {
  /** Entries of a table: one per int8 code. */
  public static final int SIZE = 256;

  public TableOp {
    if (table.length != SIZE) {
      throw new IllegalArgumentException(
          "a table op needs " + SIZE + " entries, got " + table.length);
    }
    if (function == null || function.isEmpty()) {
      throw new IllegalArgumentException("a table op names its function");
    }
    table = table.clone();
  }

  @Override
  public int[] inputs() {
    return new int[] {input};
  }

  @Override
  public byte[] table() {
    return table.clone();
  }

  /** y for the int8 code x. */
  public byte apply(int x) {
    return table[x + 128];
  }

  @Override
  public Requantization requantization() {
    return null;
  }

  @Override
  public String kind() {
    return "Table(" + function + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableOp t
        && input == t.input
        && outputShape.equals(t.outputShape)
        && Arrays.equals(table, t.table)
        && function.equals(t.function);
  }

  @Override
  public int hashCode() {
    return 31 * input + Arrays.hashCode(table);
  }

  @Override
  public String toString() {
    return "Table[" + function + " of tensor " + input + ", " + outputShape + "]";
  }
}
