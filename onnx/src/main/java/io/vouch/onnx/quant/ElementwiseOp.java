package io.vouch.onnx.quant;

import java.util.Arrays;

/**
 * An integer linear combination of tensors of one shape, value by value: z[i] = Σ_j
 * m_j[c(i)]·x_j[i] + b[i], then requantized. It carries Add and Sub between activations (each
 * input's scale and zero point folded into its multiplier and the bias), Add/Sub/Mul/Div by
 * constants broadcast per channel, a standalone Relu (m = 2, s = 1: q = x) and rescaling to a
 * common scale before a Concat.
 *
 * @param multipliers per input: one integer for every channel, or one per channel
 * @param bias one value per output value, or one for all
 */
public record ElementwiseOp(
    int[] inputs,
    TensorShape outputShape,
    long[][] multipliers,
    long[] bias,
    Requantization requantization)
    implements IntegerOp {
  public ElementwiseOp {
    if (inputs.length == 0 || multipliers.length != inputs.length) {
      throw new IllegalArgumentException("an elementwise op needs one multiplier vector per input");
    }
    inputs = inputs.clone();
    long[][] m = new long[multipliers.length][];
    for (int j = 0; j < m.length; j++) {
      if (multipliers[j].length != 1 && multipliers[j].length != outputShape.channels()) {
        throw new IllegalArgumentException("multipliers must be one per channel, or one");
      }
      for (long v : multipliers[j]) {
        if (Math.abs(v) >= 1L << 31) {
          throw new IllegalArgumentException(
              "elementwise multipliers must be below 2^31 in magnitude");
        }
      }
      m[j] = multipliers[j].clone();
    }
    multipliers = m;
    if (bias.length != 1 && bias.length != outputShape.size()) {
      throw new IllegalArgumentException("bias must be one value per output value, or one");
    }
    bias = bias.clone();
    if (requantization == null) {
      throw new IllegalArgumentException("an elementwise op requantizes its sums");
    }
  }

  @Override
  public int[] inputs() {
    return inputs.clone();
  }

  @Override
  public long[][] multipliers() {
    long[][] m = new long[multipliers.length][];
    for (int j = 0; j < m.length; j++) {
      m[j] = multipliers[j].clone();
    }
    return m;
  }

  @Override
  public long[] bias() {
    return bias.clone();
  }

  /** m_j of channel c. */
  public long multiplier(int input, int channel) {
    long[] m = multipliers[input];
    return m.length == 1 ? m[0] : m[channel];
  }

  /** Whether input j's multiplier is the same for every channel. */
  public boolean uniform(int input) {
    long[] m = multipliers[input];
    for (long v : m) {
      if (v != m[0]) {
        return false;
      }
    }
    return true;
  }

  public long biasAt(int i) {
    return bias.length == 1 ? bias[0] : bias[i];
  }

  /** The largest |z|: Σ_j max_c |m_j[c]|·128 + max |b|. */
  public long accumulatorBound() {
    long s = Arrays.stream(bias).map(Math::abs).max().orElse(0);
    for (long[] m : multipliers) {
      s += Arrays.stream(m).map(Math::abs).max().orElse(0) * 128L;
    }
    return s;
  }

  @Override
  public String kind() {
    return "Elementwise";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ElementwiseOp e
        && Arrays.equals(inputs, e.inputs)
        && outputShape.equals(e.outputShape)
        && Arrays.deepEquals(multipliers, e.multipliers)
        && Arrays.equals(bias, e.bias)
        && requantization.equals(e.requantization);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(inputs) * 31 + Arrays.hashCode(bias);
  }
}
