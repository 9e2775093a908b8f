package io.vouch.onnx.writer;

import java.util.List;

/**
 * A chain of {@link ChainStep}s from one {@code float32 [N, inputSize]} input to one output, each
 * step reading the previous one's output: the graphs an {@link Mlp} cannot express, such as Gemm →
 * BatchNormalization → Clip → Gemm. Dense layers must chain in width; batch normalizations must
 * have one channel per value of their input; the other steps keep the width.
 */
public record Chain(int inputSize, List<ChainStep> steps) {
  public Chain {
    steps = List.copyOf(steps);
    if (inputSize < 1) {
      throw new IllegalArgumentException("a chain needs at least one input, got " + inputSize);
    }
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a chain needs at least one step");
    }
    int width = inputSize;
    for (int s = 0; s < steps.size(); s++) {
      ChainStep step = steps.get(s);
      int needs =
          switch (step) {
            case GemmLayer d -> d.inputs();
            case BatchNormalization bn -> bn.channels();
            case Clip c -> width;
            case UnaryOp u -> width;
          };
      if (needs != width) {
        throw new IllegalArgumentException(
            "step " + s + " (" + step + ") takes " + needs + " values but receives " + width);
      }
      if (step instanceof GemmLayer d) {
        width = d.outputs();
      }
    }
  }

  /** Steps in order: {@code Chain.of(4, dense, Clip.between(0, 6), dense2)}. */
  public static Chain of(int inputSize, ChainStep... steps) {
    return new Chain(inputSize, List.of(steps));
  }

  /** The chain of an MLP's dense layers. */
  public static Chain of(Mlp mlp) {
    return new Chain(mlp.inputSize(), List.<ChainStep>copyOf(mlp.layers()));
  }

  /**
   * The plain Java forward pass for one example, for the ops it knows: dense layers, batch
   * normalization, Clip, and the unary ops Relu and Identity.
   *
   * @throws UnsupportedOperationException for any other unary op
   */
  public float[] forward(float[] x) {
    if (x.length != inputSize) {
      throw new IllegalArgumentException("chain expects " + inputSize + " inputs, got " + x.length);
    }
    float[] a = x.clone();
    for (ChainStep step : steps) {
      switch (step) {
        case GemmLayer d -> a = d.forward(a);
        case BatchNormalization bn -> {
          float[] g = bn.scale(), b = bn.bias(), m = bn.mean(), v = bn.variance();
          for (int i = 0; i < a.length; i++) {
            a[i] =
                (float)
                    (g[i] * (a[i] - (double) m[i]) / Math.sqrt(v[i] + (double) bn.epsilon())
                        + b[i]);
          }
        }
        case Clip c -> {
          for (int i = 0; i < a.length; i++) {
            a[i] = Math.min(c.max(), Math.max(c.min(), a[i]));
          }
        }
        case UnaryOp u -> {
          switch (u.opType()) {
            case "Relu" -> {
              for (int i = 0; i < a.length; i++) {
                a[i] = Math.max(0f, a[i]);
              }
            }
            case "Identity" -> {}
            default ->
                throw new UnsupportedOperationException(
                    "no Java forward pass for op '"
                        + u.opType()
                        + "'; run the model in ONNX Runtime");
          }
        }
      }
    }
    return a;
  }

  /** Width of the output: the outputs of the last dense layer, else the input size. */
  public int outputSize() {
    int width = inputSize;
    for (ChainStep step : steps) {
      if (step instanceof GemmLayer d) {
        width = d.outputs();
      }
    }
    return width;
  }
}
