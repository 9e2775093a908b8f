package io.vouch.hub.repo;

/** A push or a reference is malformed (bad name, bad path, missing blob, ...); fix the input. */
public final class InvalidManifestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidManifestException(String message) {
    super(message);
  }
}
