package io.vouch.hub.http;

import java.io.IOException;
import java.net.URI;

/** A hub answered with an error status; carries the status and the server's error and hint. */
public final class HubHttpException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String error;
  private final String hint;

  public HubHttpException(URI request, int status, String error, String hint) {
    super(
        request
            + " answered "
            + status
            + ": "
            + error
            + (hint == null || hint.isEmpty() ? "" : " (hint: " + hint + ")"));
    this.status = status;
    this.error = error;
    this.hint = hint;
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String hint() {
    return hint;
  }
}
