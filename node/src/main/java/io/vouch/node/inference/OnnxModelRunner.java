package io.vouch.node.inference;

import io.vouch.core.tensor.NamedTensors;
import io.vouch.onnx.ModelSignature;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.TensorSpec;
import java.util.List;
import java.util.Optional;

/** Runs a float ONNX model in ONNX Runtime (the VANILLA and TEE levels' engine). */
public final class OnnxModelRunner implements ModelRunner {
  private final OnnxRuntimeEngine engine;

  public OnnxModelRunner(OnnxRuntimeEngine engine) {
    this.engine = engine;
  }

  @Override
  public List<String> inputNames() {
    return engine.schema().inputNames();
  }

  @Override
  public List<TensorSpec> inputSpecs() {
    return engine.schema().inputs();
  }

  @Override
  public List<String> outputNames() {
    return engine.schema().outputNames();
  }

  @Override
  public NamedTensors run(NamedTensors inputs) {
    return NamedTensors.of(engine.run(inputs.asMap()));
  }

  @Override
  public void check(NamedTensors inputs) {
    engine.validate(inputs.asMap());
  }

  @Override
  public Optional<ModelSignature> signature() {
    return Optional.of(ModelSignature.of(engine.model()));
  }

  public OnnxRuntimeEngine engine() {
    return engine;
  }

  @Override
  public void close() {
    engine.close();
  }
}
