package io.vouch.core.error;

/**
 * The root of Vouch's own errors. Every message says what was wrong and, where one exists, what to
 * do about it; {@link #code()} is a stable machine-readable name for HTTP and JSON output.
 */
public class VouchException extends RuntimeException {
  private final ErrorCode code;

  public VouchException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public VouchException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
