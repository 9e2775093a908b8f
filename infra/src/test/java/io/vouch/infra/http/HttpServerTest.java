package io.vouch.infra.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server over real loopback sockets, driven byte by byte as curl, proxies and other languages'
 * clients would: framing, persistent connections, and the refusals of what it cannot frame. (The
 * attacks of issue 9 have their own classes: {@link LenientFramingTest}, {@link BodyMemoryTest},
 * {@link SlowClientTest}.)
 */
class HttpServerTest {
  static final long MAX_BODY = 1_000;
  static final int MAX_CONNECTIONS = 4;

  /** Names as the node's errors name them, so that the tests read like its answers. */
  static final ErrorAnswer ERRORS =
      ErrorAnswer.json(status ->
          switch (status) {
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 500 -> "INTERNAL";
            case 503 -> "NODE_UNAVAILABLE";
            default -> "BAD_INPUT";
          });

  HttpServer server;
  final List<RawConnection> connections = new ArrayList<>();

  /** Holds the routes of {@code /hold} until a test ends. */
  static volatile CountDownLatch hold = new CountDownLatch(1);

  /** Echoes what it understood: method, path, query, body length and the body itself. */
  static HttpResponse echo(HttpRequest r) {
    String text =
        r.method()
            + " "
            + r.path()
            + " q="
            + r.query()
            + " len="
            + r.body().length
            + " body="
            + new String(r.body(), StandardCharsets.ISO_8859_1)
            + " x="
            + r.header("x-test");
    if (r.path().equals("/boom")) {
      throw new IllegalStateException("handler failed");
    }
    if (r.path().equals("/hold")) {
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return HttpResponse.of(200, "text/plain", text.getBytes(StandardCharsets.ISO_8859_1));
  }

  static HttpLimits limits() {
    return HttpLimits.defaults()
        .withMaxBodyBytes(MAX_BODY)
        .withConnections(MAX_CONNECTIONS, 100)
        .withDeadlines(Duration.ofSeconds(2), Duration.ofSeconds(2))
        .withIdleTimeout(Duration.ofSeconds(2));
  }

  @BeforeEach
  void start() throws IOException {
    hold = new CountDownLatch(1);
    server = HttpServer.builder(HttpServerTest::echo).limits(limits()).errors(ERRORS).start();
  }

  @AfterEach
  void stop() throws IOException {
    hold.countDown();
    for (RawConnection c : connections) {
      c.close();
    }
    server.stop(Duration.ofMillis(100));
  }

  RawConnection connect() throws IOException {
    RawConnection c = RawConnection.open(server.port());
    connections.add(c);
    return c;
  }

  @Test
  void servesSeveralRequestsInOrderOnOneConnection() throws IOException {
    RawConnection c = connect();

    c.write("GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\n");
    c.write("Content-Length: 3\r\nX-Test: yes\r\n\r\nabc");

    assertThat(c.readResponse())
        .startsWith("HTTP/1.1 200 OK\r\n")
        .endsWith("GET /a q=x=1 len=0 body= x=null");
    assertThat(c.readResponse()).endsWith("POST /b q=null len=3 body=abc x=yes");
    c.write("GET /c HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(c.readResponse()).endsWith("GET /c q=null len=0 body= x=null");
  }

  @Test
  void responsesCarryContentLengthAndDate() throws IOException {
    RawConnection c = connect();

    c.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

    String r = c.readResponse();
    assertThat(r).contains("\r\nContent-Length: ").contains("\r\nDate: ").contains("GMT\r\n");
    assertThat(r).doesNotContain("Connection: close").doesNotContain("Server:");
  }

  @Test
  void repeatedHeaderFieldsReachTheRouterJoined() throws IOException {
    RawConnection c = connect();

    c.write("GET / HTTP/1.1\r\nHost: h\r\nX-Test: a\r\nx-test: b\r\n\r\n");

    assertThat(c.readResponse()).endsWith("x=a, b");
  }

  @Test
  void decodesAChunkedRequestBodyWithExtensionsAndTrailers() throws IOException {
    RawConnection c = connect();

    c.write(
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3;ext=1\r\nabc\r\n"
            + "A\r\n0123456789\r\n"
            + "0\r\nX-Trailer: t\r\n\r\n");

    assertThat(c.readResponse()).endsWith("len=13 body=abc0123456789 x=null");
    c.write("GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(c.readResponse()).endsWith("GET /next q=null len=0 body= x=null");
  }

  @Test
  void expectContinueGetsAnInterimResponseBeforeTheBodyIsSent() throws IOException {
    RawConnection c = connect();

    c.write("POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");

    assertThat(c.readResponse()).startsWith("HTTP/1.1 100 Continue\r\n");
    c.write("hi");
    assertThat(c.readResponse()).endsWith("len=2 body=hi x=null");
  }

  @Test
  void connectionCloseIsHonouredAfterTheResponse() throws IOException {
    RawConnection c = connect();

    c.write("GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

    assertThat(c.readResponse()).contains("Connection: close\r\n");
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void http10ClosesAfterOneResponseAndNeedsNoHost() throws IOException {
    RawConnection c = connect();

    c.write("GET /old HTTP/1.0\r\n\r\n");

    assertThat(c.readResponse())
        .startsWith("HTTP/1.")
        .contains(" 200 ")
        .endsWith("GET /old q=null len=0 body= x=null");
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void headIsAnsweredLikeGetWithoutTheBody() throws IOException {
    RawConnection c = connect();

    c.write("HEAD /h HTTP/1.1\r\nHost: h\r\n\r\nGET /after HTTP/1.1\r\nHost: h\r\n\r\n");

    assertThat(c.readHead()).startsWith("HTTP/1.1 200").contains("Content-Length: 32");
    assertThat(c.readResponse())
        .startsWith("HTTP/1.1 200")
        .endsWith("GET /after q=null len=0 body= x=null");
  }

  @Test
  void absoluteFormTargetsAreServedByTheirPath() throws IOException {
    RawConnection c = connect();

    c.write("GET http://node.example:8080/p?q=2 HTTP/1.1\r\nHost: node.example:8080\r\n\r\n");

    assertThat(c.readResponse()).endsWith("GET /p q=q=2 len=0 body= x=null");
  }

  @Test
  void aDeclaredBodyOverTheLimitIs413AndClosesWithoutReadingIt() throws IOException {
    RawConnection c = connect();

    c.write("POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n\r\n");

    String r = c.readResponse();
    assertThat(r)
        .startsWith("HTTP/1.1 413 ")
        .contains("\"error\":\"PAYLOAD_TOO_LARGE\"")
        .contains("1000 bytes")
        .contains("Connection: close");
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void aChunkedBodyOverTheLimitIs413() throws IOException {
    RawConnection c = connect();

    c.write("POST /big HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3E9\r\n");
    c.write("x".repeat(1001));

    assertThat(c.readResponse()).startsWith("HTTP/1.1 413 ").contains("1000 bytes");
  }

  @Test
  void contentLengthWithTransferEncodingIsRefusedAsAmbiguous() throws IOException {
    RawConnection c = connect();

    c.write(
        "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n");

    assertThat(c.readResponse()).startsWith("HTTP/1.1 400 ").contains("\"error\":\"BAD_INPUT\"");
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void malformedFramingIsRefusedWithAMessage() throws IOException {
    String[][] cases = {
      {"GARBAGE\r\n\r\n", "400", "No URI"},
      {"GET /x HTTP/1.1\r\n\r\n", "400", "No Host"},
      {"GET /x HTTP/3.0\r\nHost: h\r\n\r\n", "505", "Unsupported Version"},
      {"GET /x HTTP/1.2\r\nHost: h\r\n\r\n", "505", "Unknown Version"},
      {"GET /x HTTP/1.1\r\nHost: h\r\nbad header\r\n\r\n", "400", "Illegal character"},
      {"GET /x HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", "400", "Line Folding"},
      {"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", "400", "Content-Length"},
      // RFC 9112 6.3: chunked not the final coding is a 400 ...
      {"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", "400", "chunked not last"},
      // ... and a coding the server does not implement before it a 501 (6.1)
      {
        "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "501",
        "use chunked alone"
      },
      {
        "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nExpect: magic\r\n\r\n",
        "417",
        "Expectation Failed"
      },
      {
        "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "400",
        "Bad Request"
      },
      {"GET x HTTP/1.1\r\nHost: h\r\n\r\n", "400", "Bad Request"},
    };
    for (String[] c : cases) {
      try (RawConnection raw = RawConnection.open(server.port())) {
        raw.write(c[0]);

        String r = raw.readResponse();
        assertThat(r).as(c[0]).startsWith("HTTP/1.1 " + c[1] + " ").contains(c[2]);
        assertThat(r).as(c[0]).contains("Connection: close").contains("\"error\":\"BAD_INPUT\"");
        assertThat(raw.closedByServer()).as(c[0]).isTrue();
      }
    }
  }

  @Test
  void anOverlongRequestLineIs414AndAHugeHeaderSectionIs431() throws IOException {
    RawConnection a = connect();
    a.write("GET /" + "a".repeat(70_000) + " HTTP/1.1\r\n");
    assertThat(a.readResponse()).startsWith("HTTP/1.1 414 ").contains("\"error\":\"BAD_INPUT\"");

    RawConnection b = connect();
    b.write("GET / HTTP/1.1\r\nHost: h\r\n");
    String line = "X-Pad: " + "p".repeat(1_000) + "\r\n";
    for (int i = 0; i < 70; i++) {
      b.write(line);
    }
    assertThat(b.readResponse()).startsWith("HTTP/1.1 431 ").contains("\"error\":\"BAD_INPUT\"");
  }

  @Test
  void aRouterFailureIs500AndTheConnectionStaysUsable() throws IOException {
    RawConnection c = connect();

    c.write("GET /boom HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(c.readResponse())
        .startsWith("HTTP/1.1 500 ")
        .contains("\"error\":\"INTERNAL\"")
        .contains("handler failed");
    c.write("GET /fine HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(c.readResponse()).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void connectionsBeyondTheLimitAreRefusedWith503WhenEveryRouteIsRunning() throws Exception {
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
      // a request whose route runs (and waits): busy, so not given up for a newcomer
      connect().write("GET /hold HTTP/1.1\r\nHost: h\r\n\r\n");
    }
    BodyMemoryTest.await("every route running", () -> server.openConnections() == MAX_CONNECTIONS);
    Thread.sleep(200); // the heads parsed, the routes entered
    RawConnection extra = connect();

    String r = extra.readResponse();

    assertThat(r)
        .startsWith("HTTP/1.1 503 ")
        .contains("\"error\":\"NODE_UNAVAILABLE\"")
        .contains("4 connections open, its limit, each with a request being answered");
    assertThat(extra.closedByServer()).isTrue();
  }

  @Test
  void aNewConnectionOverTheLimitTakesThePlaceOfTheLongestIdleOne() throws Exception {
    List<RawConnection> idle = new ArrayList<>();
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
      RawConnection c = connect();
      c.write("GET /served HTTP/1.1\r\nHost: h\r\n\r\n").readResponse();
      idle.add(c);
    }

    String r = connect().write("GET /new HTTP/1.1\r\nHost: h\r\n\r\n").readResponse();

    assertThat(r).startsWith("HTTP/1.1 200 ").endsWith("GET /new q=null len=0 body= x=null");
    assertThat(idle.getFirst().closedByServer()).isTrue();
    assertThat(idle.getLast().write("GET /still HTTP/1.1\r\nHost: h\r\n\r\n").readResponse())
        .startsWith("HTTP/1.1 200 ");
  }

  @Test
  void aKeptAliveConnectionIsClosedAfterTheIdleTimeout() throws IOException {
    RawConnection c = connect();
    c.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    c.readResponse();
    c.socket.setSoTimeout(60_000);

    assertThat(c.closedByServer()).isTrue(); // by the server's 2 s idle timeout
  }

  @Test
  void jdkHttpClientTalksToIt() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + server.port() + "/jdk?k=v");

    var post =
        http.send(
            java.net.http.HttpRequest.newBuilder(uri)
                .header("X-Test", "1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("payload"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    var get =
        http.send(
            java.net.http.HttpRequest.newBuilder(uri).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(post.body()).isEqualTo("POST /jdk q=k=v len=7 body=payload x=1");
    assertThat(get.statusCode()).isEqualTo(200);
  }

  @Test
  void stopClosesIdleConnections() throws IOException {
    RawConnection c = connect();
    c.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    c.readResponse();

    server.stop(Duration.ofMillis(100));

    assertThat(c.closedByServer()).isTrue();
  }
}
