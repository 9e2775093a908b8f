package io.vouch.onnx;

import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;

/** ONNX Runtime refused to load or run a model that passed Vouch's own validation. */
public final class InferenceFailedException extends VouchException {
  public InferenceFailedException(String message, Throwable cause) {
    super(ErrorCode.INTERNAL, message, cause);
  }
}
