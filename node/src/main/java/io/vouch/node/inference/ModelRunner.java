package io.vouch.node.inference;

import io.vouch.core.tensor.NamedTensors;
import io.vouch.onnx.ModelSignature;
import io.vouch.onnx.TensorSpec;
import java.util.List;
import java.util.Optional;

/**
 * Runs one loaded model. Implementations check the inputs against the model's schema before running
 * and throw {@link io.vouch.core.error.VouchException} with {@code BAD_INPUT} naming what is wrong.
 */
public interface ModelRunner extends AutoCloseable {
  /** The model's input names, in the model's order. */
  List<String> inputNames();

  /**
   * The model's inputs with their element types and shapes, in the model's order; empty when the
   * runner does not know them (then the node assumes the largest input it accepts at all).
   */
  default List<TensorSpec> inputSpecs() {
    return List.of();
  }

  /** The model's output names, in the model's order. */
  List<String> outputNames();

  /** Runs the model on inputs named as it declares them; returns every output by name. */
  NamedTensors run(NamedTensors inputs);

  /**
   * Checks {@code inputs} against the model's schema without running it (what {@link #run} checks
   * first), so that a request is refused before anything is paid for it.
   */
  default void check(NamedTensors inputs) {}

  /**
   * What the model takes and gives (names, dtypes, shapes, class labels), for {@code GET
   * /v1/models}; empty when the runner does not know it.
   */
  default Optional<ModelSignature> signature() {
    return Optional.empty();
  }

  @Override
  void close();
}
