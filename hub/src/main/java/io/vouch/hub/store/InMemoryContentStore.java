package io.vouch.hub.store;

import io.vouch.hub.cid.Cid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link ContentStore} in memory, for tests; same contract as {@link FileContentStore}. */
public final class InMemoryContentStore implements ContentStore {
  private final ConcurrentMap<Cid, byte[]> blobs = new ConcurrentHashMap<>();

  @Override
  public Cid put(InputStream content) throws IOException {
    byte[] bytes = content.readAllBytes();
    Cid cid = Cid.ofBytes(bytes);
    blobs.put(cid, bytes);
    return cid;
  }

  @Override
  public InputStream open(Cid cid) throws IOException {
    byte[] bytes = blobs.get(cid);
    if (bytes == null) {
      throw new BlobNotFoundException(cid);
    }
    return new VerifyingInputStream(new ByteArrayInputStream(bytes), cid, "held in memory");
  }

  @Override
  public boolean has(Cid cid) {
    return blobs.containsKey(cid);
  }

  @Override
  public long size(Cid cid) throws IOException {
    byte[] bytes = blobs.get(cid);
    if (bytes == null) {
      throw new BlobNotFoundException(cid);
    }
    return bytes.length;
  }

  /**
   * Overwrites the bytes held for {@code cid} without changing the key: simulates bit rot so tests
   * can check that corruption is detected. Never used outside tests.
   */
  public void replaceBytesUnchecked(Cid cid, byte[] wrongBytes) {
    blobs.put(cid, wrongBytes.clone());
  }
}
