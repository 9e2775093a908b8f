package io.vouch.hub.repo;

/** No such repository, or no such version in it. */
public final class UnknownModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownModelException(String message) {
    super(message);
  }
}
