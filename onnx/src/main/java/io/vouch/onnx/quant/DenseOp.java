package io.vouch.onnx.quant;

import java.util.Arrays;

/**
 * A fully connected layer z = W·x + b over the flattened (row-major) input tensor: int8 weights W
 * (outputs × inputSize, row-major), int64 bias, then a {@link Requantization} or, when {@code
 * requantization} is null, the accumulators as the output.
 */
public record DenseOp(
    int input,
    int inputSize,
    int outputs,
    byte[] weights,
    long[] bias,
    Requantization requantization)
    implements IntegerOp {
  public DenseOp {
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
    return TensorShape.vector(outputs);
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
        && java.util.Objects.equals(requantization, d.requantization);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(weights) + Arrays.hashCode(bias);
  }

  @Override
  public String toString() {
    return "Dense["
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
