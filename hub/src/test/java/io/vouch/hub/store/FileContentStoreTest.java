package io.vouch.hub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.hub.cid.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileContentStoreTest extends ContentStoreContract {
  @TempDir Path root;

  @Override
  ContentStore newStore() throws IOException {
    return new FileContentStore(root);
  }

  @Override
  void corrupt(ContentStore store, Cid cid, byte[] wrongBytes) throws IOException {
    Files.write(((FileContentStore) store).pathOf(cid), wrongBytes);
  }

  @Test
  void blobsAreShardedByTheFirstTwoDigestBytes() {
    Cid cid = store.put(bytes("sharded"));
    String hex = cid.sha256Hex();
    Path expected = root.resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4));
    assertThat(expected.resolve(cid.toString())).isRegularFile().hasBinaryContent(bytes("sharded"));
  }

  @Test
  void noTemporaryFileIsLeftAfterAPut() throws IOException {
    store.put(random(7, 10_000));
    try (Stream<Path> tmp = Files.list(root.resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
  }

  @Test
  void anUploadThatFailsMidwayLeavesNeitherBlobNorTemporaryFile() throws IOException {
    InputStream failing =
        new InputStream() {
          int served;

          @Override
          public int read() throws IOException {
            if (served++ > 1000) {
              throw new IOException("client went away");
            }
            return 42;
          }
        };
    assertThatThrownBy(() -> store.put(failing)).hasMessageContaining("client went away");
    try (Stream<Path> tmp = Files.list(root.resolve("tmp"));
        Stream<Path> blobs = Files.walk(root.resolve("blobs"))) {
      assertThat(tmp).isEmpty();
      assertThat(blobs.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void puttingTheBytesAgainHealsACorruptedBlob() throws IOException {
    Cid cid = store.put(bytes("precious"));
    corrupt(store, cid, bytes("rotten"));
    store.put(bytes("precious"));
    assertThat(store.get(cid)).isEqualTo(bytes("precious"));
  }

  @Test
  void aSecondStoreOnTheSameFolderSeesTheBlobs() throws IOException {
    Cid cid = store.put(bytes("persisted"));
    assertThat(new FileContentStore(root).get(cid)).isEqualTo(bytes("persisted"));
  }

  @Test
  void aTruncatedBlobOnDiskIsReportedAsCorrupt() throws IOException {
    Cid cid = store.put(random(8, 5000));
    Path file = ((FileContentStore) store).pathOf(cid);
    Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 4999));
    assertThatThrownBy(() -> store.get(cid)).isInstanceOf(CorruptBlobException.class);
  }
}
