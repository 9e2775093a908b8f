package io.vouch.hub.store;

import io.vouch.hub.cid.Cid;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes bytes through while hashing them; on reaching the end, throws {@link CorruptBlobException}
 * instead of reporting end-of-stream if they do not hash to the expected CID. The one place blob
 * bytes are checked while streaming, used by stores and by the client.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final Cid expected;
  private final String where;
  private final MessageDigest sha256 = Cid.newSha256();
  private boolean checked;

  /**
   * @param where words that finish "the bytes ... do not hash", e.g. "on disk at /x" or "served by
   *     http://peer"
   */
  public VerifyingInputStream(InputStream in, Cid expected, String where) {
    super(in);
    this.expected = expected;
    this.where = where;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      checkAtEnd();
    } else {
      sha256.update((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n < 0) {
      checkAtEnd();
    } else {
      sha256.update(buffer, offset, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipping would leave bytes unhashed; read them instead.
    byte[] scratch = new byte[(int) Math.min(n, 8192)];
    int read = read(scratch, 0, scratch.length);
    return Math.max(read, 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void checkAtEnd() throws CorruptBlobException {
    if (!checked) {
      checked = true;
      if (!expected.matchesSha256(sha256.digest())) {
        throw new CorruptBlobException(expected, where);
      }
    }
  }
}
