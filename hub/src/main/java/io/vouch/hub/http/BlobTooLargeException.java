package io.vouch.hub.http;

import java.io.IOException;

/** An upload exceeds the server's maximum blob size. */
public final class BlobTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  public BlobTooLargeException(long maxBytes) {
    super(
        "blob exceeds this hub's maximum of "
            + maxBytes
            + " bytes; split the model or ask the operator to raise --max-blob-bytes");
  }
}
