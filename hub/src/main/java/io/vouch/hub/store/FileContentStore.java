package io.vouch.hub.store;

import io.vouch.hub.cid.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

/**
 * A {@link ContentStore} on local disk.
 *
 * <p>Layout under the root folder:
 *
 * <pre>
 *   blobs/ab/cd/bafkrei...   one file per blob; ab cd = first two digest bytes in hex
 *   tmp/                     uploads in progress
 * </pre>
 *
 * Sharding on the digest (not on the CID text, whose first characters are always "bafkrei") keeps
 * directories small and evenly filled. A blob is written to {@code tmp/} while it is hashed and
 * then moved into place atomically, so a reader never sees a half-written blob and a crash leaves
 * at most a stray temp file. Every read is hash-checked.
 */
public final class FileContentStore implements ContentStore {
  private static final int BUFFER = 64 * 1024;
  private final Path root;
  private final Path blobs;
  private final Path tmp;

  public FileContentStore(Path root) throws IOException {
    this.root = root.toAbsolutePath();
    this.blobs = this.root.resolve("blobs");
    this.tmp = this.root.resolve("tmp");
    Files.createDirectories(blobs);
    Files.createDirectories(tmp);
  }

  public Path root() {
    return root;
  }

  /** Where the blob lives (or would live) on disk. */
  public Path pathOf(Cid cid) {
    String hex = cid.sha256Hex();
    return blobs.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(cid.toString());
  }

  @Override
  public Cid put(InputStream content) throws IOException {
    Path temp = Files.createTempFile(tmp, "upload-", ".part");
    try {
      MessageDigest sha256 = Cid.newSha256();
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha256)) {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = content.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
        }
      }
      Cid cid = Cid.ofSha256(sha256.digest());
      Path target = pathOf(cid);
      Files.createDirectories(target.getParent());
      // Replacing an existing file is deliberate: the new bytes were just hashed, so a re-put
      // heals a blob that rotted on disk. Same bytes, same name: readers see old or new, both good.
      moveAtomically(temp, target);
      return cid;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      // tmp/ and blobs/ share a parent, so this only happens on exotic file systems.
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public InputStream open(Cid cid) throws IOException {
    Path path = pathOf(cid);
    try {
      return new VerifyingInputStream(Files.newInputStream(path), cid, "on disk at " + path);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(cid);
    }
  }

  @Override
  public boolean has(Cid cid) {
    return Files.isRegularFile(pathOf(cid));
  }

  @Override
  public long size(Cid cid) throws IOException {
    try {
      return Files.size(pathOf(cid));
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(cid);
    }
  }
}
