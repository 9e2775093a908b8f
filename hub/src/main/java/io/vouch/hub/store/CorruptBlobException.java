package io.vouch.hub.store;

import io.vouch.hub.cid.Cid;
import java.io.IOException;

/**
 * Bytes that were supposed to be blob {@code cid} hash to something else: a corrupted disk file, or
 * a peer that served wrong bytes.
 */
public final class CorruptBlobException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Cid cid;

  public CorruptBlobException(Cid cid, String where) {
    super(
        "blob "
            + cid
            + " is corrupt: the bytes "
            + where
            + " do not hash to this CID; discard them and fetch the blob again from another peer");
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
