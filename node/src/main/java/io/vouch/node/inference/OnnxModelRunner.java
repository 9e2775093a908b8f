package io.vouch.node.inference;

import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.OnnxRuntimeEngine;

/** Runs a float ONNX model in ONNX Runtime (the VANILLA and TEE levels' engine). */
public final class OnnxModelRunner implements ModelRunner {
  private final OnnxRuntimeEngine engine;

  public OnnxModelRunner(OnnxRuntimeEngine engine) {
    this.engine = engine;
  }

  @Override
  public Tensor run(Tensor input) {
    return engine.run(input);
  }

  @Override
  public void check(Tensor input) {
    var inputs = engine.schema().inputs();
    if (inputs.size() == 1) {
      engine.validate(java.util.Map.of(inputs.getFirst().name(), input));
    }
  }

  public OnnxRuntimeEngine engine() {
    return engine;
  }

  @Override
  public void close() {
    engine.close();
  }
}
