package io.vouch.onnx.quant;

import java.util.List;

/** The full witness of one inference: one {@link LayerTrace} per layer and the logits. */
public record Trace(List<LayerTrace> layers, long[] logits) {
  public Trace {
    layers = List.copyOf(layers);
    logits = logits.clone();
  }

  @Override
  public long[] logits() {
    return logits.clone();
  }
}
