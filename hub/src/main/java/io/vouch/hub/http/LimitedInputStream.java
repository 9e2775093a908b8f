package io.vouch.hub.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails with {@link BlobTooLargeException} as soon as more than {@code max} bytes are read. */
final class LimitedInputStream extends FilterInputStream {
  private final long max;
  private long count;

  LimitedInputStream(InputStream in, long max) {
    super(in);
    this.max = max;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(long n) throws BlobTooLargeException {
    count += n;
    if (count > max) {
      throw new BlobTooLargeException(max);
    }
  }
}
