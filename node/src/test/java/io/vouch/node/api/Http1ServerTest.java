package io.vouch.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's HTTP/1.1 server over real loopback sockets, driven byte by byte as curl, proxies and
 * other languages' clients would: framing, persistent connections, and the refusals of what it
 * cannot frame.
 */
class Http1ServerTest {
  static final long MAX_BODY = 1_000;
  static final int MAX_CONNECTIONS = 4;

  Http1Server server;
  final List<Socket> sockets = new ArrayList<>();

  /** Echoes what it understood: method, path, query, body length and the body itself. */
  static Http1Server.Response echo(Http1Server.Request r) {
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
    return Http1Server.Response.of(200, "text/plain", text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @BeforeEach
  void start() throws IOException {
    server =
        Http1Server.start(
            "127.0.0.1",
            0,
            16,
            new Http1Server.Limits(MAX_BODY, MAX_CONNECTIONS, 2_000, 2_000),
            Http1ServerTest::echo);
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    server.stop(100);
  }

  Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
    s.setSoTimeout(5_000);
    sockets.add(s);
    return s;
  }

  static void write(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** One response as text (head and body), read by its Content-Length. */
  static String readResponse(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed inside a response head: " + head);
      }
      head.write(c);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    if (h.startsWith("HTTP/1.1 1")) {
      return h;
    }
    int i = h.toLowerCase().indexOf("content-length: ");
    int length = Integer.parseInt(h.substring(i + 16, h.indexOf("\r\n", i)));
    return h + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  static boolean closedByServer(Socket s) throws IOException {
    return s.getInputStream().read() < 0;
  }

  @Test
  void servesSeveralRequestsInOrderOnOneConnection() throws IOException {
    Socket s = connect();

    write(s, "GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\n");
    write(s, "Content-Length: 3\r\nX-Test: yes\r\n\r\nabc");

    assertThat(readResponse(s))
        .startsWith("HTTP/1.1 200 OK\r\n")
        .endsWith("GET /a q=x=1 len=0 body= x=null");
    assertThat(readResponse(s)).endsWith("POST /b q=null len=3 body=abc x=yes");
    write(s, "GET /c HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(readResponse(s)).endsWith("GET /c q=null len=0 body= x=null");
  }

  @Test
  void responsesCarryContentLengthAndDate() throws IOException {
    Socket s = connect();

    write(s, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");

    String r = readResponse(s);
    assertThat(r).contains("\r\nContent-Length: ").contains("\r\nDate: ").contains("GMT\r\n");
    assertThat(r).doesNotContain("Connection: close");
  }

  @Test
  void decodesAChunkedRequestBodyWithExtensionsAndTrailers() throws IOException {
    Socket s = connect();

    write(
        s,
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3;ext=1\r\nabc\r\n"
            + "A\r\n0123456789\r\n"
            + "0\r\nX-Trailer: t\r\n\r\n");

    assertThat(readResponse(s)).endsWith("len=13 body=abc0123456789 x=null");
    write(s, "GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(readResponse(s)).endsWith("GET /next q=null len=0 body= x=null");
  }

  @Test
  void expectContinueGetsAnInterimResponseBeforeTheBodyIsSent() throws IOException {
    Socket s = connect();

    write(s, "POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");

    assertThat(readResponse(s)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
    write(s, "hi");
    assertThat(readResponse(s)).endsWith("len=2 body=hi x=null");
  }

  @Test
  void connectionCloseIsHonouredAfterTheResponse() throws IOException {
    Socket s = connect();

    write(s, "GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

    assertThat(readResponse(s)).contains("Connection: close\r\n");
    assertThat(closedByServer(s)).isTrue();
  }

  @Test
  void http10ClosesAfterOneResponseAndNeedsNoHost() throws IOException {
    Socket s = connect();

    write(s, "GET /old HTTP/1.0\r\n\r\n");

    assertThat(readResponse(s))
        .startsWith("HTTP/1.1 200")
        .endsWith("GET /old q=null len=0 body= x=null");
    assertThat(closedByServer(s)).isTrue();
  }

  @Test
  void headIsAnsweredLikeGetWithoutTheBody() throws IOException {
    Socket s = connect();

    write(s, "HEAD /h HTTP/1.1\r\nHost: h\r\n\r\nGET /after HTTP/1.1\r\nHost: h\r\n\r\n");

    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      head.write(in.read());
    }
    assertThat(head.toString(StandardCharsets.ISO_8859_1)).contains("Content-Length: 32");
    assertThat(readResponse(s))
        .startsWith("HTTP/1.1 200")
        .endsWith("GET /after q=null len=0 body= x=null");
  }

  @Test
  void absoluteFormTargetsAreServedByTheirPath() throws IOException {
    Socket s = connect();

    write(s, "GET http://node.example:8080/p?q=2 HTTP/1.1\r\nHost: node.example\r\n\r\n");

    assertThat(readResponse(s)).endsWith("GET /p q=q=2 len=0 body= x=null");
  }

  @Test
  void aBodyOverTheLimitIs413AndClosesWithoutReadingIt() throws IOException {
    Socket s = connect();

    write(s, "POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n\r\n");

    String r = readResponse(s);
    assertThat(r).startsWith("HTTP/1.1 413 ").contains("PAYLOAD_TOO_LARGE").contains("1000 bytes");
    assertThat(closedByServer(s)).isTrue();
  }

  @Test
  void aChunkedBodyOverTheLimitIs413() throws IOException {
    Socket s = connect();

    write(s, "POST /big HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3E9\r\n");

    assertThat(readResponse(s)).startsWith("HTTP/1.1 413 ");
  }

  @Test
  void contentLengthWithTransferEncodingIsRefusedAsAmbiguous() throws IOException {
    Socket s = connect();

    write(
        s,
        "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n");

    assertThat(readResponse(s)).startsWith("HTTP/1.1 400 ").contains("both Content-Length");
    assertThat(closedByServer(s)).isTrue();
  }

  @Test
  void malformedFramingIsRefusedWithAMessage() throws IOException {
    String[][] cases = {
      {"GARBAGE\r\n\r\n", "400", "malformed request line"},
      {"GET /x HTTP/1.1\r\n\r\n", "400", "Host header"},
      {"GET /x HTTP/2.0\r\nHost: h\r\n\r\n", "505", "version"},
      {"GET /x HTTP/1.1\r\nHost: h\r\nbad header\r\n\r\n", "400", "malformed header line"},
      {"GET /x HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", "400", "malformed header line"},
      {"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", "400", "not a decimal"},
      {"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", "501", "chunked"},
      {
        "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nExpect: magic\r\n\r\n", "417", "Expect"
      },
      {
        "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "400",
        "chunk size"
      },
      {"GET x HTTP/1.1\r\nHost: h\r\n\r\n", "400", "request target"},
    };
    for (String[] c : cases) {
      Socket s = connect();

      write(s, c[0]);

      String r = readResponse(s);
      assertThat(r).as(c[0]).startsWith("HTTP/1.1 " + c[1] + " ").contains(c[2]);
      assertThat(r).as(c[0]).contains("Connection: close").contains("\"error\":\"BAD_INPUT\"");
      assertThat(closedByServer(s)).as(c[0]).isTrue();
      s.close(); // frees the server's connection slot
    }
  }

  @Test
  void anOverlongRequestLineIs414AndAHugeHeaderSectionIs431() throws IOException {
    Socket a = connect();
    write(a, "GET /" + "a".repeat(Http1Server.MAX_REQUEST_LINE) + " HTTP/1.1\r\n");
    assertThat(readResponse(a)).startsWith("HTTP/1.1 414 ");

    Socket b = connect();
    write(b, "GET / HTTP/1.1\r\nHost: h\r\n");
    String line = "X-Pad: " + "p".repeat(1_000) + "\r\n";
    for (int i = 0; i < 70; i++) {
      write(b, line);
    }
    assertThat(readResponse(b)).startsWith("HTTP/1.1 431 ");
  }

  @Test
  void aHandlerFailureIs500AndTheConnectionStaysUsable() throws IOException {
    Socket s = connect();

    write(s, "GET /boom HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(readResponse(s)).startsWith("HTTP/1.1 500 ").contains("handler failed");
    write(s, "GET /fine HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(readResponse(s)).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void connectionsBeyondTheLimitAreRefusedWith503() throws IOException {
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
      Socket s = connect();
      write(s, "GET /hold HTTP/1.1\r\nHost: h\r\n\r\n");
      readResponse(s); // served, so the connection holds a slot
    }
    Socket extra = connect();

    String r = readResponse(extra);

    assertThat(r)
        .startsWith("HTTP/1.1 503 ")
        .contains("NODE_UNAVAILABLE")
        .contains("4 connections");
  }

  @Test
  void aClientThatStaysSilentIsDisconnectedAfterTheIdleTimeout() throws IOException {
    Socket s = connect();
    s.setSoTimeout(60_000);

    assertThat(closedByServer(s)).isTrue(); // by the server's 2 s idle limit
  }

  @Test
  void jdkHttpClientTalksToIt() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + server.port() + "/jdk?k=v");

    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("X-Test", "1")
                .POST(HttpRequest.BodyPublishers.ofString("payload"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> get =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(post.body()).isEqualTo("POST /jdk q=k=v len=7 body=payload x=1");
    assertThat(get.statusCode()).isEqualTo(200);
  }

  @Test
  void stopClosesIdleConnections() throws IOException {
    Socket s = connect();
    write(s, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    readResponse(s);

    server.stop(100);

    assertThat(closedByServer(s)).isTrue();
  }
}
