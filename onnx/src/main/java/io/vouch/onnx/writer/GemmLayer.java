package io.vouch.onnx.writer;

import java.util.Arrays;
import java.util.Objects;

/**
 * One fully connected layer {@code y = act(W x + b)}. Weights are row-major {@code [out][in]} (the
 * layout of PyTorch's {@code nn.Linear}); the exported Gemm uses {@code transB = 1} to read them.
 */
public record GemmLayer(
    int inputs, int outputs, float[] weights, float[] bias, GemmActivation activation)
    implements ChainStep {
  public GemmLayer {
    Objects.requireNonNull(activation, "activation");
    if (inputs < 1 || outputs < 1) {
      throw new IllegalArgumentException(
          "a dense layer needs at least one input and one output, got " + inputs + "x" + outputs);
    }
    if (weights.length != (long) inputs * outputs) {
      throw new IllegalArgumentException(
          "a "
              + outputs
              + "x"
              + inputs
              + " layer needs "
              + (long) inputs * outputs
              + " weights, got "
              + weights.length);
    }
    if (bias.length != outputs) {
      throw new IllegalArgumentException(
          "a layer with " + outputs + " outputs needs " + outputs + " biases, got " + bias.length);
    }
    weights = weights.clone();
    bias = bias.clone();
  }

  /** Weight of output {@code o} from input {@code i}. */
  public float weight(int o, int i) {
    return weights[o * inputs + i];
  }

  @Override
  public float[] weights() {
    return weights.clone();
  }

  @Override
  public float[] bias() {
    return bias.clone();
  }

  /**
   * The reference forward pass for one example: each output accumulates in double and rounds to
   * float once, so it is at least as accurate as ONNX Runtime's float32 Gemm.
   */
  public float[] forward(float[] x) {
    if (x.length != inputs) {
      throw new IllegalArgumentException("layer expects " + inputs + " inputs, got " + x.length);
    }
    float[] y = new float[outputs];
    for (int o = 0; o < outputs; o++) {
      double acc = bias[o];
      int row = o * inputs;
      for (int i = 0; i < inputs; i++) {
        acc += (double) weights[row + i] * x[i];
      }
      float v = (float) acc;
      y[o] = activation == GemmActivation.RELU ? Math.max(v, 0f) : v;
    }
    return y;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GemmLayer d
        && inputs == d.inputs
        && outputs == d.outputs
        && activation == d.activation
        && Arrays.equals(weights, d.weights)
        && Arrays.equals(bias, d.bias);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        inputs, outputs, activation, Arrays.hashCode(weights), Arrays.hashCode(bias));
  }

  @Override
  public String toString() {
    return "GemmLayer[" + inputs + "->" + outputs + ", " + activation + "]";
  }
}
