package io.vouch.sdk;

import io.vouch.core.Address;
import io.vouch.core.error.ErrorCode;

/** A model name belongs to another publisher on chain; only its owner may add versions. */
public final class ModelNameOwnedException extends VouchClientException {
  private final String name;
  private final Address owner;

  public ModelNameOwnedException(String name, Address owner, Address caller) {
    super(
        ErrorCode.BAD_INPUT,
        "model name '"
            + name
            + "' is owned by "
            + owner
            + ", not by this client's key "
            + caller
            + "; push under another name, or push from the owner's key");
    this.name = name;
    this.owner = owner;
  }

  public String name() {
    return name;
  }

  public Address owner() {
    return owner;
  }
}
