package io.vouch.hub.store;

import io.vouch.hub.cid.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Blobs addressed by the CID of their bytes. Writing the same bytes twice stores them once; reading
 * always checks the bytes against the CID, so a corrupted blob is reported ({@link
 * CorruptBlobException}), never served as if it were good.
 *
 * <p>Implementations are thread-safe. {@link FileContentStore} is the real one; {@link
 * InMemoryContentStore} follows the same contract for tests.
 */
public interface ContentStore {

  /**
   * Stores everything the stream yields (the stream is read to its end, not closed) and returns its
   * CID. Works for inputs far larger than memory.
   */
  Cid put(InputStream content) throws IOException;

  default Cid put(byte[] content) {
    try {
      return put(new java.io.ByteArrayInputStream(content));
    } catch (IOException e) {
      throw new UncheckedIOException("reading a byte array cannot fail", e);
    }
  }

  /**
   * Opens the blob for streaming. The stream hashes what it yields and throws {@link
   * CorruptBlobException} at the end if the bytes do not match the CID, so a reader that consumes
   * it to the end never accepts bad bytes silently. Use {@link #verify} first when nothing may be
   * passed on before the check (e.g. before sending a response).
   *
   * @throws BlobNotFoundException when the store does not hold the CID
   */
  InputStream open(Cid cid) throws IOException;

  /**
   * The blob's bytes, checked against the CID. For small blobs (manifests); stream large ones.
   *
   * @throws BlobNotFoundException when absent
   * @throws CorruptBlobException when the stored bytes do not hash to the CID
   */
  default byte[] get(Cid cid) throws IOException {
    try (InputStream in = open(cid)) {
      return in.readAllBytes();
    }
  }

  /**
   * Reads the whole blob and checks its hash.
   *
   * @throws BlobNotFoundException when absent
   * @throws CorruptBlobException when the stored bytes do not hash to the CID
   */
  default void verify(Cid cid) throws IOException {
    try (InputStream in = open(cid)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  boolean has(Cid cid) throws IOException;

  /**
   * The blob's size in bytes (as stored; not re-hashed).
   *
   * @throws BlobNotFoundException when absent
   */
  long size(Cid cid) throws IOException;
}
