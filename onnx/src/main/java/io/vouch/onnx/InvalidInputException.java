package io.vouch.onnx;

import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;

/**
 * An inference input does not fit the model's schema (name, dtype, shape, finiteness, size). Raised
 * before anything runs; the message names the input and what it must look like.
 */
public final class InvalidInputException extends VouchException {
  public InvalidInputException(String message) {
    super(ErrorCode.BAD_INPUT, message);
  }

  public InvalidInputException(ErrorCode code, String message) {
    super(code, message);
  }
}
