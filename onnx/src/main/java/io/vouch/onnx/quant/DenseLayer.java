package io.vouch.onnx.quant;

import java.util.Arrays;

/**
 * One fully connected layer of an {@link IntegerModel}: z = W·a + b with int8 weights W (outputs ×
 * inputs, row-major), int32 bias b and int64 accumulators, followed by its {@link LayerOutput}.
 */
public record DenseLayer(int outputs, int inputs, byte[] weights, int[] bias, LayerOutput output) {
  public DenseLayer {
    if (outputs <= 0 || inputs <= 0) {
      throw new IllegalArgumentException(
          "a dense layer needs positive dimensions, got " + outputs + "×" + inputs);
    }
    if (weights.length != outputs * inputs) {
      throw new IllegalArgumentException(
          "weights have "
              + weights.length
              + " entries, expected outputs×inputs = "
              + outputs
              + "×"
              + inputs);
    }
    if (bias.length != outputs) {
      throw new IllegalArgumentException(
          "bias has " + bias.length + " entries, expected one per output (" + outputs + ")");
    }
    if (output == null) {
      throw new IllegalArgumentException("layer output kind is required");
    }
    weights = weights.clone();
    bias = bias.clone();
  }

  @Override
  public byte[] weights() {
    return weights.clone();
  }

  @Override
  public int[] bias() {
    return bias.clone();
  }

  /** The weight array itself, for the engine's hot loop (no defensive copy; never modified). */
  byte[] weightsView() {
    return weights;
  }

  public byte weight(int row, int column) {
    return weights[row * inputs + column];
  }

  public int biasAt(int row) {
    return bias[row];
  }

  /** The largest |z_i| any int8 input can produce: max over rows of Σ_k |W_ik|·128 + |b_i|. */
  public long accumulatorBound() {
    long max = 0;
    for (int i = 0; i < outputs; i++) {
      long s = Math.abs((long) bias[i]);
      for (int k = 0; k < inputs; k++) {
        s += Math.abs(weights[i * inputs + k]) * 128L;
      }
      max = Math.max(max, s);
    }
    return max;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DenseLayer d
        && outputs == d.outputs
        && inputs == d.inputs
        && Arrays.equals(weights, d.weights)
        && Arrays.equals(bias, d.bias)
        && output.equals(d.output);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(weights) + Arrays.hashCode(bias)) + output.hashCode();
  }

  @Override
  public String toString() {
    return "DenseLayer[" + outputs + "×" + inputs + ", " + output + "]";
  }
}
