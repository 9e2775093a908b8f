package io.vouch.onnx;

import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;

/**
 * An ONNX file cannot be accepted: it is not an ONNX model, it is malformed, or it uses something
 * Vouch does not support. The message names the problem and how to fix it.
 */
public final class InvalidModelException extends VouchException {
  public InvalidModelException(String message) {
    super(ErrorCode.INVALID_MODEL, message);
  }

  public InvalidModelException(ErrorCode code, String message) {
    super(code, message);
  }

  public InvalidModelException(String message, Throwable cause) {
    super(ErrorCode.INVALID_MODEL, message, cause);
  }
}
