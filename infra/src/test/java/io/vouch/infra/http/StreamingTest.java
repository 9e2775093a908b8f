package io.vouch.infra.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed answers end to end: the server's {@link HttpResponse#streaming} on one side, the
 * client's {@link Http1Client#stream} on the other, over loopback. Each piece must reach the client
 * while the server still holds back the next one, which a buffered answer cannot do.
 */
class StreamingTest {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** The test lets the server write its second piece only once the client has read the first. */
  volatile CountDownLatch firstRead;

  HttpServer server;
  Http1Client client;

  HttpResponse route(HttpRequest r) {
    return switch (r.path()) {
      case "/tokens" ->
          HttpResponse.streaming(
              200,
              "text/plain",
              out -> {
                out.write("first ".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                await(firstRead);
                out.write("second".getBytes(StandardCharsets.US_ASCII));
              });
      case "/broken" ->
          HttpResponse.streaming(
              200,
              "text/plain",
              out -> {
                out.write("partial".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                await(firstRead);
                throw new IOException("the model crashed");
              });
      default -> HttpResponse.of(200, "text/plain", "whole".getBytes(StandardCharsets.US_ASCII));
    };
  }

  static void await(CountDownLatch latch) throws IOException {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IOException("the client never read the first piece");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @BeforeEach
  void start() throws IOException {
    firstRead = new CountDownLatch(1);
    server = HttpServer.builder(this::route).start();
    client = new Http1Client(URI.create("http://127.0.0.1:" + server.port()), TIMEOUT);
  }

  @AfterEach
  void stop() {
    firstRead.countDown();
    client.close();
    server.stop(Duration.ofMillis(100));
  }

  static String readN(InputStream in, int n) throws IOException {
    return new String(in.readNBytes(n), StandardCharsets.US_ASCII);
  }

  @Test
  void eachPieceArrivesBeforeTheServerWritesTheNext() throws IOException {
    try (Http1Client.StreamedReply reply =
        client.stream("GET", "/tokens", new String[0], null, TIMEOUT)) {
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("transfer-encoding")).isEqualTo("chunked");
      assertThat(reply.header("content-length")).isNull();
      assertThat(readN(reply.body(), 6)).isEqualTo("first ");
      firstRead.countDown();
      assertThat(new String(reply.body().readAllBytes(), StandardCharsets.US_ASCII))
          .isEqualTo("second");
    }
  }

  @Test
  void theWholeClientReadsAStreamedAnswerToItsEnd() throws IOException {
    firstRead.countDown();
    Http1Client.Reply reply = client.send("GET", "/tokens", new String[0], null, TIMEOUT);
    assertThat(new String(reply.body(), StandardCharsets.US_ASCII)).isEqualTo("first second");
  }

  @Test
  void aWriterThatFailsMidwayCutsTheConnectionSoTheClientSeesATruncatedBody() throws IOException {
    try (Http1Client.StreamedReply reply =
        client.stream("GET", "/broken", new String[0], null, TIMEOUT)) {
      assertThat(readN(reply.body(), 7)).isEqualTo("partial");
      firstRead.countDown();
      assertThatThrownBy(() -> reply.body().readAllBytes())
          .isInstanceOf(EOFException.class)
          .hasMessageContaining("before the answer's end");
    }
  }

  @Test
  void aStreamedAndAWholeAnswerFollowEachOther() throws IOException {
    firstRead.countDown();
    try (Http1Client.StreamedReply reply =
        client.stream("GET", "/tokens", new String[0], null, TIMEOUT)) {
      assertThat(reply.body().readAllBytes()).hasSize(12);
    }
    try (Http1Client.StreamedReply reply =
        client.stream("GET", "/whole", new String[0], null, TIMEOUT)) {
      assertThat(reply.header("content-length")).isEqualTo("5");
      assertThat(new String(reply.body().readAllBytes(), StandardCharsets.US_ASCII))
          .isEqualTo("whole");
    }
  }
}
