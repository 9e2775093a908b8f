package io.vouch.infra.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 5: slowloris. A request head and a body must each arrive within a total deadline,
 * however steadily their bytes trickle (a timeout per read restarts with every byte); one client
 * address holds at most its share of connections; and while slow heads and bodies hold many
 * connections, {@code /health} is answered.
 */
class SlowClientTest {
  static final Duration HEAD_DEADLINE = Duration.ofSeconds(1);
  static final Duration BODY_DEADLINE = Duration.ofSeconds(1);

  HttpServer server;
  final List<RawConnection> connections = new ArrayList<>();

  void start(HttpLimits limits, int maxThreads) throws IOException {
    server =
        HttpServer.builder(r -> HttpResponse.of(200, "text/plain", "ok".getBytes()))
            .limits(limits)
            .errors(HttpServerTest.ERRORS)
            .maxThreads(maxThreads)
            .start();
  }

  /** Deadlines of 1 s, an idle timeout far beyond them, the given connection caps. */
  static HttpLimits limits(int total, int perAddress) {
    return HttpLimits.defaults()
        .withDeadlines(HEAD_DEADLINE, BODY_DEADLINE)
        .withIdleTimeout(Duration.ofSeconds(60))
        .withConnections(total, perAddress);
  }

  @AfterEach
  void stop() throws IOException {
    for (RawConnection c : connections) {
      c.close();
    }
    server.stop(Duration.ofMillis(100));
  }

  RawConnection connect(String from) throws IOException {
    RawConnection c = RawConnection.open(server.port(), from);
    connections.add(c);
    return c;
  }

  /**
   * Sends {@code start}, then one byte every 100 ms for up to 15 s (fifteen times the deadline;
   * each byte restarts a timeout per read) until the server answers or closes; the answer, or
   * "open".
   */
  static String trickle(RawConnection c, String start) throws IOException {
    c.write(start);
    for (int i = 0; i < 150; i++) {
      try {
        c.write("a");
      } catch (IOException e) {
        return "closed";
      }
      if (!c.stillOpenAfter(100)) {
        c.socket.setSoTimeout(1_000);
        try {
          return c.readResponse();
        } catch (IOException e) {
          return "closed";
        }
      }
    }
    return "open";
  }

  @Test
  void aHeadTrickledByteByByteIsAnswered408AtItsDeadline() throws IOException {
    start(limits(100, 100), 200);

    String answer = trickle(connect(null), "GET /health HTTP/1.1\r\nHost: a\r\nX-Slow: ");

    assertThat(answer)
        .startsWith("HTTP/1.1 408 ")
        .contains("the request head did not arrive within 1 s")
        .contains("Connection: close");
  }

  @Test
  void aBodyTrickledByteByByteIsAnswered408AtItsDeadline() throws Exception {
    start(limits(100, 100), 200);

    String answer =
        trickle(connect(null), "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n");

    assertThat(answer)
        .startsWith("HTTP/1.1 408 ")
        .contains("the request body did not arrive within 1 s");
    BodyMemoryTest.await("the body's bytes given back", () -> server.bodyBytesBuffered() == 0);
  }

  @Test
  void aNewConnectionThatSendsNothingIsClosedAtTheHeadDeadline() throws IOException {
    start(limits(100, 100), 200);
    RawConnection silent = connect(null);
    silent.socket.setSoTimeout(15_000);

    assertThat(silent.readResponse()).startsWith("HTTP/1.1 408 ");
    assertThat(silent.closedByServer()).isTrue();
  }

  @Test
  void aKeptAliveConnectionMayIdleBetweenRequestsBeyondTheHeadDeadline() throws Exception {
    start(limits(100, 100), 200);
    RawConnection c = connect(null);
    c.write("GET /a HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();

    assertThat(c.stillOpenAfter(2_500)).isTrue();
    assertThat(c.write("GET /b HTTP/1.1\r\nHost: a\r\n\r\n").readResponse())
        .startsWith("HTTP/1.1 200 ");
  }

  @Test
  void connectionsFromOneAddressBeyondItsCapAreRefusedWhileOtherAddressesAreServed()
      throws IOException, InterruptedException {
    assumeTrue(loopbackAliasesWork(), "binding 127.0.0.2 (Linux loopback) is not possible here");
    start(limits(100, 3), 200);
    for (int i = 0; i < 3; i++) {
      connect("127.0.0.2").write("GET /health HTTP/1.1\r\nHost: a\r\n"); // half a head, held
    }
    // connections are admitted on pool threads, not necessarily in the order they were opened
    BodyMemoryTest.await("three connections admitted", () -> server.openConnections() == 3);

    String fourth = connect("127.0.0.2").readResponse();
    String other =
        connect("127.0.0.3").write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();

    assertThat(fourth)
        .startsWith("HTTP/1.1 503 ")
        .contains("\"error\":\"NODE_UNAVAILABLE\"")
        .contains("3 connections open from 127.0.0.2");
    assertThat(other).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void whenAllConnectionsAreTakenByLateHeadsANewClientReplacesTheLongestWaiting() throws Exception {
    start(limits(8, 100).withDeadlines(Duration.ofSeconds(60), Duration.ofSeconds(60)), 200);
    List<RawConnection> slow = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      slow.add(connect(null).write("GET /health HTTP/1.1\r\nHost: a\r\nX-Slow: a"));
      // one after the other, so that the first is the one that has waited longest
      BodyMemoryTest.await("connection admitted", () -> server.openConnections() == slow.size());
    }

    String health = connect(null).write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();

    assertThat(health).startsWith("HTTP/1.1 200 ");
    assertThat(slow.getFirst().readResponse())
        .startsWith("HTTP/1.1 408 ")
        .contains("needed the connection for another client");
    assertThat(slow.getLast().stillOpenAfter(200)).isTrue();
  }

  @Test
  void whenAllConnectionsAreTakenBySlowBodiesANewClientReplacesTheLongestWaiting()
      throws Exception {
    start(limits(8, 100).withDeadlines(Duration.ofSeconds(60), Duration.ofSeconds(60)), 200);
    List<RawConnection> slow = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      slow.add(connect(null).write("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\nx"));
      BodyMemoryTest.await("body begun", () -> server.bodyBytesBuffered() >= 1000L * slow.size());
    }

    String health = connect(null).write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();

    assertThat(health).startsWith("HTTP/1.1 200 ");
    assertThat(slow.getFirst().readResponse())
        .startsWith("HTTP/1.1 408 ")
        .contains("the request body had not arrived");
    assertThat(slow.getLast().stillOpenAfter(200)).isTrue();
  }

  @Test
  void healthIsAnsweredWhileSlowHeadsAndSlowBodiesFromSeveralAddressesHoldConnections()
      throws Exception {
    assumeTrue(loopbackAliasesWork(), "binding 127.0.0.2 (Linux loopback) is not possible here");
    // 16 threads; 40 slow bodies and 40 slow heads from 4 addresses (20 each): were a body waited
    // for on a thread, the bodies alone would take them all
    start(
        HttpLimits.defaults()
            .withDeadlines(Duration.ofSeconds(60), Duration.ofSeconds(60))
            .withConnections(200, 20),
        16);
    for (int a = 2; a <= 5; a++) {
      for (int i = 0; i < 10; i++) {
        connect("127.0.0." + a)
            .write("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\nx");
        connect("127.0.0." + a).write("GET /health HTTP/1.1\r\nHost: a\r\nX-Slow: a");
      }
    }
    BodyMemoryTest.await(
        "every slow body's first byte", () -> server.bodyBytesBuffered() >= 40_000);

    RawConnection health = connect("127.0.0.1");
    health.socket.setSoTimeout(5_000);
    String answer = health.write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();

    assertThat(answer).startsWith("HTTP/1.1 200 ");
    assertThat(server.openConnections()).isEqualTo(81);
  }

  static boolean loopbackAliasesWork() {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
