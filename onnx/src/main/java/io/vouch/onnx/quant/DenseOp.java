package io.vouch.onnx.quant;

import java.util.Arrays;

/**
 * A fully connected layer z = W·x + b over the flattened (row-major) input tensor: int8 weights W
 * (outputs × inputSize, row-major), int64 bias, then a {@link Requantization} or, when {@code
 * requantization} is null, the accumulators as the output.
 *
 * <p>With {@code rows} &gt; 1 the same weights apply to every row of the input (a transformer's
 * projections: MatMul of [1, S, D] by a constant [D, D']): the input has a channel per row of
 * inputSize values (S × 1 × D, or S × H × W with H·W = D), the output is rows × 1 × outputs, z[r,
 * o] = Σ_k W[o, k]·x[r, k] + b[o]; a multiplier per output requantizes value (r, o) with ε_o (every
 * row shares it: {@link #multiplierIndex}).
 */
public record DenseOp(
    int input,
    int inputSize,
    int outputs,
    byte[] weights,
    long[] bias,
    Requantization requantization,
    int rows)
    implements IntegerOp {
  /** A dense layer over the whole (flattened) input: one row. */
  public DenseOp(
      int input,
      int inputSize,
      int outputs,
      byte[] weights,
      long[] bias,
      Requantization requantization) {
    this(input, inputSize, outputs, weights, bias, requantization, 1);
  }

  public DenseOp {
    if (rows < 1) {
      throw new IllegalArgumentException("a dense op applies to at least one row, got " + rows);
    }
    if (outputs <= 0 || inputSize <= 0) {
      throw new IllegalArgumentException(
          "a dense op needs positive dimensions, got " + outputs + "×" + inputSize);
    }
    if (weights.length != (long) outputs * inputSize) {
      throw new IllegalArgumentException(
          "weights have " + weights.length + " entries, expected " + outputs + "×" + inputSize);
    }
    if (bias.length != outputs) {
      throw new IllegalArgumentException(
          "bias has " + bias.length + " entries, expected one per output (" + outputs + ")");
    }
    if (requantization != null
        && requantization.multipliers().length != 1
        && requantization.multipliers().length != outputs) {
      throw new IllegalArgumentException("one requantization multiplier per output, or one");
    }
    weights = weights.clone();
    bias = bias.clone();
  }

  @Override
  public int[] inputs() {
    return new int[] {input};
  }

  @Override
  public TensorShape outputShape() {
    return rows == 1 ? TensorShape.vector(outputs) : new TensorShape(rows, 1, outputs);
  }

  /** The input shape a dense op with several rows reads: rows × 1 × inputSize. */
  public TensorShape rowInputShape() {
    return new TensorShape(rows, 1, inputSize);
  }

  @Override
  public byte[] weights() {
    return weights.clone();
  }

  @Override
  public long[] bias() {
    return bias.clone();
  }

  /** The weights without a copy, for hot loops; never modified. */
  public byte[] weightsView() {
    return weights;
  }

  /** The largest |z_i| any int8 input can produce: max over rows of Σ_k |W_ik|·128 + |b_i|. */
  public long accumulatorBound(int row) {
    long s = Math.abs(bias[row]);
    for (int k = 0; k < inputSize; k++) {
      s += Math.abs(weights[row * inputSize + k]) * 128L;
    }
    return s;
  }

  /** Output value i's requantization multiplier: its output o = i mod outputs, on every row. */
  @Override
  public int multiplierIndex(int value) {
    return value % outputs;
  }

  @Override
  public String kind() {
    return "Dense";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DenseOp d
        && input == d.input
        && inputSize == d.inputSize
        && outputs == d.outputs
        && Arrays.equals(weights, d.weights)
        && Arrays.equals(bias, d.bias)
        && java.util.Objects.equals(requantization, d.requantization)
        && rows == d.rows;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(weights) + Arrays.hashCode(bias);
  }

  @Override
  public String toString() {
    return "Dense["
        + (rows > 1 ? rows + " rows of " : "")
        + outputs
        + "×"
        + inputSize
        + " of tensor "
        + input
        + ", "
        + requantization
        + "]";
  }
}
