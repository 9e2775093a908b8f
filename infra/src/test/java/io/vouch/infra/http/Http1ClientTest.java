package io.vouch.infra.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/1.1 client against a real socket server on loopback that answers with scripted bytes, so
 * that every framing a server may choose (and every way it may fail) is met for real.
 */
class Http1ClientTest {
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Answers each request on a connection with the next script entry; counts connections. */
  static final class ScriptedServer implements AutoCloseable {
    final ServerSocket socket;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final List<Socket> open = new CopyOnWriteArrayList<>();

    interface Script {
      /** Writes the answer to request number {@code n} on this connection; false to close. */
      boolean answer(Socket s, int n, String request) throws IOException;
    }

    ScriptedServer(Script script) throws IOException {
      socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      Thread.ofPlatform()
          .daemon()
          .start(() -> {
            while (!socket.isClosed()) {
              try {
                Socket s = socket.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread.ofPlatform().daemon().start(() -> serve(s, script));
              } catch (IOException e) {
                return;
              }
            }
          });
    }

    private void serve(Socket s, Script script) {
      try (s) {
        for (int n = 0; ; n++) {
          String request = readRequest(s.getInputStream());
          if (request == null) {
            return;
          }
          requests.add(request);
          if (!script.answer(s, n, request)) {
            return;
          }
        }
      } catch (IOException e) {
        // the client went away
      }
    }

    /** Head and Content-Length body as text, or null at end of stream. */
    static String readRequest(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          return null;
        }
        head.write(c);
      }
      String h = head.toString(StandardCharsets.ISO_8859_1);
      int i = h.indexOf("Content-Length: ");
      if (i < 0) {
        return h;
      }
      int length = Integer.parseInt(h.substring(i + 16, h.indexOf("\r\n", i)));
      return h + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : open) {
        s.close();
      }
    }
  }

  static void write(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  final List<AutoCloseable> resources = new ArrayList<>();

  ScriptedServer server(ScriptedServer.Script script) throws IOException {
    ScriptedServer s = new ScriptedServer(script);
    resources.add(s);
    return s;
  }

  Http1Client client(URI uri) {
    Http1Client c = new Http1Client(uri, Duration.ofSeconds(2));
    resources.add(c);
    return c;
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
  }

  @Test
  void sendsOneWellFormedRequestAndReadsAContentLengthAnswer() throws IOException {
    ScriptedServer server =
        server((s, n, req) -> {
          write(s, "HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-A: 1\r\nX-A: 2\r\n\r\nhello");
          return true;
        });

    Http1Client.Reply r =
        client(server.uri())
            .send(
                "POST",
                "/p?q=1",
                new String[] {"Content-Type: text/plain"},
                "body".getBytes(StandardCharsets.UTF_8),
                TIMEOUT);

    assertThat(r.status()).isEqualTo(201);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(r.header("x-a")).isEqualTo("1, 2");
    assertThat(server.requests.getFirst())
        .isEqualTo(
            "POST /p?q=1 HTTP/1.1\r\nHost: 127.0.0.1:"
                + server.socket.getLocalPort()
                + "\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nbody");
  }

  @Test
  void keepsTheConnectionForTheNextRequest() throws IOException {
    ScriptedServer server =
        server((s, n, req) -> {
          write(s, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n" + n);
          return true;
        });
    Http1Client client = client(server.uri());

    for (int i = 0; i < 3; i++) {
      assertThat(client.send("GET", "/", new String[0], null, TIMEOUT).body())
          .isEqualTo(String.valueOf(i).getBytes(StandardCharsets.US_ASCII));
    }
    assertThat(server.connections).hasValue(1);
  }

  @Test
  void readsChunkedAnswersAndSkipsInterimResponses() throws IOException {
    ScriptedServer server =
        server((s, n, req) -> {
          write(
              s,
              "HTTP/1.1 100 Continue\r\n\r\n"
                  + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + "4;ext=x\r\nabcd\r\n3\r\nefg\r\n0\r\nTrailer: t\r\n\r\n");
          return true;
        });
    Http1Client client = client(server.uri());

    Http1Client.Reply first = client.send("GET", "/", new String[0], null, TIMEOUT);
    Http1Client.Reply second = client.send("GET", "/", new String[0], null, TIMEOUT);

    assertThat(new String(first.body(), StandardCharsets.US_ASCII)).isEqualTo("abcdefg");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(server.connections).hasValue(1);
  }

  @Test
  void readsABodyThatEndsWithTheConnectionAndThenOpensANewOne() throws IOException {
    ScriptedServer server =
        server((s, n, req) -> {
          write(s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
          return false;
        });
    Http1Client client = client(server.uri());

    Http1Client.Reply r = client.send("GET", "/", new String[0], null, TIMEOUT);
    client.send("GET", "/", new String[0], null, TIMEOUT);

    assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("until the end");
    assertThat(server.connections).hasValue(2);
  }

  @Test
  void resendsOnceOnANewConnectionWhenTheServerClosedTheIdleOne() throws IOException {
    ScriptedServer server =
        server((s, n, req) -> {
          write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
          return false; // closes after one answer without saying so, as an idle timeout would
        });
    Http1Client client = client(server.uri());

    client.send("GET", "/1", new String[0], null, TIMEOUT);
    Http1Client.Reply r = client.send("POST", "/2", new String[0], new byte[] {1}, TIMEOUT);

    assertThat(r.status()).isEqualTo(200);
    assertThat(server.connections).hasValue(2);
    assertThat(server.requests).hasSize(2); // the second request reached the server once
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws IOException {
    ScriptedServer server = server((s, n, req) -> true);

    assertThatThrownBy(() ->
            client(server.uri()).send("GET", "/", new String[0], null, Duration.ofMillis(200)))
        .isInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void aServerThatClosesWithoutAnsweringOnAFreshConnectionIsAnError() throws IOException {
    ScriptedServer server = server((s, n, req) -> false);

    assertThatThrownBy(() -> client(server.uri()).send("GET", "/", new String[0], null, TIMEOUT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed before the answer");
  }

  @Test
  void brokenAnswersAreErrorsThatSayWhatWasWrong() throws IOException {
    String[][] cases = {
      {"SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP/1.x status line"},
      {"HTTP/1.1 2xx OK\r\n\r\n", "malformed status line"},
      {"HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "malformed header line"},
      {"HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "malformed Content-Length"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "malformed chunk size"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "after 5 of 10 body bytes"},
    };
    for (String[] c : cases) {
      ScriptedServer server =
          server((s, n, req) -> {
            write(s, c[0]);
            return false;
          });

      assertThatThrownBy(() -> client(server.uri()).send("GET", "/", new String[0], null, TIMEOUT))
          .as(c[0])
          .isInstanceOf(IOException.class)
          .hasMessageContaining(c[1]);
    }
  }

  @Test
  void aPortWithNoServerIsAnIoError() throws IOException {
    URI closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
    }

    assertThatThrownBy(() -> client(closed).send("GET", "/", new String[0], null, TIMEOUT))
        .isInstanceOf(IOException.class);
  }

  @Test
  void headerLinesWithLineBreaksAreRefusedBeforeSending() throws IOException {
    ScriptedServer server = server((s, n, req) -> true);

    assertThatThrownBy(() ->
            client(server.uri())
                .send("GET", "/", new String[] {"X: a\r\nInjected: b"}, null, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.requests).isEmpty();
  }

  /**
   * A server that refuses a body over its limit answers 413 after the head and closes without
   * reading the rest: the client's write then fails, but the answer already arrived and is what the
   * caller gets (not a broken pipe, and no retry on another connection).
   */
  @Test
  void anAnswerSentBeforeTheBodyWasReadIsReturnedWhenTheWriteFails() throws Exception {
    ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    resources.add(listener);
    AtomicInteger connections = new AtomicInteger();
    Thread.ofPlatform()
        .daemon()
        .start(() -> {
          while (!listener.isClosed()) {
            try (Socket s = listener.accept()) {
              connections.incrementAndGet();
              InputStream in = s.getInputStream();
              ByteArrayOutputStream head = new ByteArrayOutputStream();
              while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                head.write(in.read());
              }
              String body = "{\"error\":\"PAYLOAD_TOO_LARGE\"}";
              write(
                  s,
                  "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body);
              s.shutdownOutput();
            } catch (IOException e) {
              // closed
            }
          }
        });
    URI uri = URI.create("http://127.0.0.1:" + listener.getLocalPort());

    Http1Client.Reply r =
        client(uri).send("POST", "/v1/infer", new String[0], new byte[64 << 20], TIMEOUT);

    assertThat(r.status()).isEqualTo(413);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("PAYLOAD_TOO_LARGE");
    assertThat(connections).hasValue(1);
  }

  @Test
  void onlyHttpAndHttpsEndpointsAreAccepted() {
    assertThatThrownBy(() -> new Http1Client(URI.create("ftp://node"), TIMEOUT))
        .hasMessageContaining("http:// or https://");
  }

  // --- a hostile node (issue 9.8) ---

  /** Bytes the calling thread allocated while {@code call} ran (HotSpot's per-thread counter). */
  static long allocatedBy(ThrowingRunnable call) {
    var threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    try {
      call.run();
    } catch (Exception e) {
      // the exchange is expected to fail; what it allocated is the point
    }
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void aDeclaredHugeBodyThatNeverComesCostsNoMemory() throws IOException {
    ScriptedServer server =
        server((s, n, req) -> {
          if (n == 0) {
            write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return true;
          }
          // Announces 200 MB, sends 3 bytes, closes.
          write(s, "HTTP/1.1 200 OK\r\nContent-Length: 200000000\r\n\r\nabc");
          return false;
        });
    Http1Client c = client(server.uri());
    c.send("GET", "/warm-up", new String[0], null, TIMEOUT); // class loading is not the point

    var failure = new java.util.concurrent.atomic.AtomicReference<Exception>();
    long allocated =
        allocatedBy(() -> {
          try {
            c.send("GET", "/big", new String[0], null, TIMEOUT);
          } catch (IOException e) {
            failure.set(e);
          }
        });

    assertThat(failure.get()).as("the short body is an error").isInstanceOf(IOException.class);
    assertThat(allocated).as("bytes allocated for a body that never came").isLessThan(8L << 20);
  }

  @Test
  void aChunkSizeWithASignOrSpacesIsRefused() throws IOException {
    for (String size : new String[] {"+2", " 2", "2 ", "-2", "0x2"}) {
      ScriptedServer server =
          server((s, n, req) -> {
            write(
                s,
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + size
                    + "\r\nok\r\n0\r\n\r\n");
            return false;
          });
      assertThatThrownBy(() -> client(server.uri()).send("GET", "/", new String[0], null, TIMEOUT))
          .as("chunk size '%s'", size)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("chunk size");
    }
  }

  @Test
  void anAnswerWithBareLfLineEndingsIsRefused() throws IOException {
    String[] answers = {
      "HTTP/1.1 200 OK\nContent-Length: 2\r\n\r\nok", // the status line
      "HTTP/1.1 200 OK\r\nContent-Length: 2\nX: y\r\n\r\nok", // one header line
      "HTTP/1.1 200 OK\r\nContent-Length: 2\n\nok", // the head's end
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\r\n0\r\n\r\n", // size
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\n0\r\n\r\n", // data end
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\n", // trailer
      "HTTP/1.1 200 OK\r\nContent-Length: 2\rX: y\r\n\r\nok", // a bare CR inside a line
    };
    for (String answer : answers) {
      ScriptedServer server =
          server((s, n, req) -> {
            write(s, answer);
            return false;
          });
      String shown = answer.replace("\r", "\\r").replace("\n", "\\n");
      assertThatThrownBy(() -> client(server.uri()).send("GET", "/", new String[0], null, TIMEOUT))
          .as("answer %s", shown)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("RFC 9112");
      assertThatThrownBy(
              () -> {
                try (var r =
                    client(server.uri()).stream("GET", "/", new String[0], null, TIMEOUT)) {
                  r.body().readAllBytes();
                }
              })
          .as("streamed answer %s", shown)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("RFC 9112");
    }
  }

  @Test
  void aCrlfSplitBetweenTwoWritesIsOneLineEnding() throws IOException {
    ScriptedServer server =
        server((s, n, req) -> {
          write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r");
          try {
            Thread.sleep(50); // the client reads the CR before the LF arrives
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          write(s, "\n\r\nok");
          return false;
        });

    Http1Client.Reply r = client(server.uri()).send("GET", "/", new String[0], null, TIMEOUT);

    assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
  }

  @Test
  void aContentLengthWithASignIsRefused() throws IOException {
    ScriptedServer server =
        server((s, n, req) -> {
          write(s, "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok");
          return false;
        });
    assertThatThrownBy(() -> client(server.uri()).send("GET", "/", new String[0], null, TIMEOUT))
        .hasMessageContaining("Content-Length");
  }

  @Test
  void aStreamedChunkedBodyReadToItsEndFreesTheConnectionForTheNextRequest() throws IOException {
    ScriptedServer server =
        server((s, n, req) -> {
          write(
              s,
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + "4;ext=x\r\nabcd\r\n3\r\nefg\r\n0\r\nTrailer: t\r\n\r\n");
          return true;
        });
    Http1Client client = client(server.uri());

    for (int i = 0; i < 2; i++) {
      try (Http1Client.StreamedReply r = client.stream("GET", "/", new String[0], null, TIMEOUT)) {
        assertThat(new String(r.body().readAllBytes(), StandardCharsets.US_ASCII))
            .isEqualTo("abcdefg");
      }
    }
    assertThat(server.connections).hasValue(1);
  }

  @Test
  void aStreamClosedBeforeItsEndClosesItsConnection() throws IOException {
    ScriptedServer server =
        server((s, n, req) -> {
          write(s, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
          return true;
        });
    Http1Client client = client(server.uri());

    try (Http1Client.StreamedReply r = client.stream("GET", "/", new String[0], null, TIMEOUT)) {
      assertThat(r.body().readNBytes(3)).isEqualTo("012".getBytes(StandardCharsets.US_ASCII));
    }
    Http1Client.Reply next = client.send("GET", "/", new String[0], null, TIMEOUT);

    assertThat(new String(next.body(), StandardCharsets.US_ASCII)).isEqualTo("0123456789");
    assertThat(server.connections).hasValue(2);
  }

  @Test
  void aStreamedBodyCutShortSaysHowMuchArrived() throws IOException {
    ScriptedServer server =
        server((s, n, req) -> {
          write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n");
          return false;
        });
    Http1Client client = client(server.uri());

    try (Http1Client.StreamedReply r = client.stream("GET", "/", new String[0], null, TIMEOUT)) {
      assertThatThrownBy(() -> r.body().readAllBytes())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("after 5 body bytes");
    }
  }
}
