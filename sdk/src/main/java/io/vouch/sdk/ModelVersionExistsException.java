package io.vouch.sdk;

import io.vouch.core.error.ErrorCode;

/** Versions are immutable: this name@version is already published on chain. */
public final class ModelVersionExistsException extends VouchClientException {
  private final String name;
  private final int version;
  private final int latestVersion;

  public ModelVersionExistsException(String name, int version, int latestVersion) {
    super(
        ErrorCode.BAD_INPUT,
        "model "
            + name
            + "@"
            + version
            + " is already published and versions are immutable; push it as version "
            + (latestVersion + 1)
            + " (the latest is "
            + latestVersion
            + ")");
    this.name = name;
    this.version = version;
    this.latestVersion = latestVersion;
  }

  public String name() {
    return name;
  }

  public int version() {
    return version;
  }

  public int latestVersion() {
    return latestVersion;
  }
}
