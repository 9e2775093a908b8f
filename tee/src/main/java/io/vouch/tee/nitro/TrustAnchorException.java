package io.vouch.tee.nitro;

import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;

/** A configured trust anchor cannot be used: unreadable, not a certificate, or not the pin. */
public final class TrustAnchorException extends VouchException {
  public TrustAnchorException(String message) {
    super(ErrorCode.BAD_INPUT, message);
  }

  public TrustAnchorException(String message, Throwable cause) {
    super(ErrorCode.BAD_INPUT, message, cause);
  }
}
