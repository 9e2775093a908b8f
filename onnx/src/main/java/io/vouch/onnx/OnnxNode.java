package io.vouch.onnx;

import java.util.List;

/** One operator of a graph: its node name (may be empty in ONNX), op type, domain and wiring. */
public record OnnxNode(
    String name, String opType, String domain, List<String> inputs, List<String> outputs) {
  public OnnxNode {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** How errors refer to this node: its name, or its first output when it has no name. */
  public String label() {
    if (!name.isEmpty()) {
      return name;
    }
    return outputs.isEmpty() ? opType : opType + " -> " + outputs.get(0);
  }
}
