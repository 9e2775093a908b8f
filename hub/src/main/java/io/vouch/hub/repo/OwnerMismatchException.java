package io.vouch.hub.repo;

/** A push names a different owner than the one the repository was created with. */
public final class OwnerMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OwnerMismatchException(String repository, String owner, String attempted) {
    super(
        "repository '"
            + repository
            + "' belongs to '"
            + owner
            + "', not '"
            + attempted
            + "'; push as its owner or choose another repository name");
  }
}
