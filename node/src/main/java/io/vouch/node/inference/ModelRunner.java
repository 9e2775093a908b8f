package io.vouch.node.inference;

import io.vouch.core.tensor.Tensor;

/**
 * Runs one loaded model. Implementations check the input against the model's schema before running
 * and throw {@link io.vouch.core.error.VouchException} with {@code BAD_INPUT} naming what is wrong.
 */
public interface ModelRunner extends AutoCloseable {
  Tensor run(Tensor input);

  /**
   * Checks {@code input} against the model's schema without running it (what {@link #run} checks
   * first), so that a request is refused before anything is paid for it.
   */
  default void check(Tensor input) {}

  @Override
  void close();
}
