package io.vouch.onnx.writer;

import java.util.List;

/**
 * A multi-layer perceptron: dense layers applied in order, each layer's outputs feeding the next.
 */
public record Mlp(List<GemmLayer> layers) {
  public Mlp {
    layers = List.copyOf(layers);
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("an MLP needs at least one layer");
    }
    for (int l = 1; l < layers.size(); l++) {
      if (layers.get(l).inputs() != layers.get(l - 1).outputs()) {
        throw new IllegalArgumentException(
            "layer "
                + l
                + " takes "
                + layers.get(l).inputs()
                + " inputs but layer "
                + (l - 1)
                + " gives "
                + layers.get(l - 1).outputs());
      }
    }
  }

  public int inputSize() {
    return layers.get(0).inputs();
  }

  public int outputSize() {
    return layers.get(layers.size() - 1).outputs();
  }

  /** The plain Java reference forward pass for one example. */
  public float[] forward(float[] x) {
    float[] a = x;
    for (GemmLayer layer : layers) {
      a = layer.forward(a);
    }
    return a;
  }
}
