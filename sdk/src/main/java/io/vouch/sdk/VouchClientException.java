package io.vouch.sdk;

import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;

/**
 * An SDK call failed; {@link #code()} says how (the node's error code when it answered). The
 * subclasses in this package name the failures a caller may want to handle one by one.
 */
public class VouchClientException extends VouchException {
  public VouchClientException(ErrorCode code, String message) {
    super(code, message);
  }

  public VouchClientException(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
