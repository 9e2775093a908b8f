package io.vouch.hub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.hub.cid.Cid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link ContentStore} promises; each implementation runs all of it. */
abstract class ContentStoreContract {
  ContentStore store;

  abstract ContentStore newStore() throws IOException;

  /** Changes the stored bytes of {@code cid} behind the store's back (bit rot). */
  abstract void corrupt(ContentStore store, Cid cid, byte[] wrongBytes) throws IOException;

  @BeforeEach
  void createStore() throws IOException {
    store = newStore();
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] random(long seed, int size) {
    byte[] out = new byte[size];
    new Random(seed).nextBytes(out);
    return out;
  }

  @Test
  void putReturnsTheCidOfTheBytes() {
    assertThat(store.put(bytes("weights"))).isEqualTo(Cid.ofBytes(bytes("weights")));
  }

  @Test
  void getReturnsTheBytesThatWerePut() throws IOException {
    Cid cid = store.put(bytes("weights"));
    assertThat(store.get(cid)).isEqualTo(bytes("weights"));
  }

  @Test
  void hasIsFalseBeforeAndTrueAfterPut() throws IOException {
    Cid cid = Cid.ofBytes(bytes("later"));
    assertThat(store.has(cid)).isFalse();
    store.put(bytes("later"));
    assertThat(store.has(cid)).isTrue();
  }

  @Test
  void sizeIsTheNumberOfBytesPut() throws IOException {
    Cid cid = store.put(random(1, 1234));
    assertThat(store.size(cid)).isEqualTo(1234);
  }

  @Test
  void theEmptyBlobIsStorable() throws IOException {
    Cid cid = store.put(new byte[0]);
    assertThat(store.get(cid)).isEmpty();
    assertThat(store.size(cid)).isZero();
  }

  @Test
  void puttingTheSameBytesTwiceGivesTheSameCidAndContent() throws IOException {
    Cid first = store.put(bytes("same"));
    Cid second = store.put(bytes("same"));
    assertThat(second).isEqualTo(first);
    assertThat(store.get(second)).isEqualTo(bytes("same"));
  }

  @Test
  void aStreamLargerThanAnyBufferIsStoredWhole() throws IOException {
    byte[] large = random(2, 3 * 1024 * 1024 + 17);
    Cid cid = store.put(new ByteArrayInputStream(large));
    assertThat(cid).isEqualTo(Cid.ofBytes(large));
    try (InputStream in = store.open(cid)) {
      assertThat(in.readAllBytes()).isEqualTo(large);
    }
  }

  @Test
  void getOfAnUnknownCidIsBlobNotFound() {
    Cid unknown = Cid.ofBytes(bytes("never stored"));
    assertThatThrownBy(() -> store.get(unknown))
        .isInstanceOf(BlobNotFoundException.class)
        .hasMessageContaining(unknown.toString());
  }

  @Test
  void sizeOfAnUnknownCidIsBlobNotFound() {
    assertThatThrownBy(() -> store.size(Cid.ofBytes(bytes("never stored"))))
        .isInstanceOf(BlobNotFoundException.class);
  }

  @Test
  void getOfACorruptedBlobReportsCorruptionNamingTheCid() throws IOException {
    Cid cid = store.put(bytes("original"));
    corrupt(store, cid, bytes("tampered"));
    assertThatThrownBy(() -> store.get(cid))
        .isInstanceOf(CorruptBlobException.class)
        .hasMessageContaining(cid.toString());
  }

  @Test
  void verifyOfACorruptedBlobFails() throws IOException {
    Cid cid = store.put(bytes("original"));
    corrupt(store, cid, bytes("originaL"));
    assertThatThrownBy(() -> store.verify(cid)).isInstanceOf(CorruptBlobException.class);
  }

  @Test
  void verifyOfAnIntactBlobPasses() throws IOException {
    Cid cid = store.put(random(3, 100_000));
    store.verify(cid);
    assertThat(store.get(cid)).isEqualTo(random(3, 100_000));
  }

  @Test
  void aStreamReaderOfACorruptedBlobFailsAtTheEndInsteadOfSeeingEndOfStream() throws IOException {
    Cid cid = store.put(random(4, 200_000));
    corrupt(store, cid, random(5, 200_000));
    try (InputStream in = store.open(cid)) {
      assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
          .isInstanceOf(CorruptBlobException.class);
    }
  }

  @Test
  void concurrentPutsOfTheSameBytesAllSucceed() throws Exception {
    byte[] content = random(6, 50_000);
    List<Future<Cid>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit(() -> store.put(content)));
      }
    }
    for (Future<Cid> result : results) {
      assertThat(result.get()).isEqualTo(Cid.ofBytes(content));
    }
    assertThat(store.get(Cid.ofBytes(content))).isEqualTo(content);
  }
}
