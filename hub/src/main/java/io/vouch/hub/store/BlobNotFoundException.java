package io.vouch.hub.store;

import io.vouch.hub.cid.Cid;
import java.io.IOException;

/** The store does not hold this CID. */
public final class BlobNotFoundException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Cid cid;

  public BlobNotFoundException(Cid cid) {
    super(
        "no blob " + cid + " in this store; push it first (PUT /v1/blobs) or fetch it from a peer");
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
