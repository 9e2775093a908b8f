package io.vouch.hub.repo;

import io.vouch.hub.cid.Cid;

/** The version already exists with different content; versions are immutable. */
public final class VersionConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VersionConflictException(String repository, String version, Cid existing, Cid attempted) {
    super(
        "version "
            + repository
            + "@"
            + version
            + " already exists with manifest "
            + existing
            + " and versions are immutable (attempted manifest "
            + attempted
            + "); push under a new version name");
  }
}
