package io.vouch.infra.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 4: memory from a header. A declared Content-Length costs nothing until bytes
 * arrive; what all bodies in flight hold together is capped; a route's limit refuses a declared
 * length before any body byte.
 */
class BodyMemoryTest {
  HttpServer server;
  final List<RawConnection> connections = new ArrayList<>();

  HttpServer start(HttpLimits limits, BodyLimit routes) throws IOException {
    server =
        HttpServer.builder(
                r -> HttpResponse.of(200, "text/plain", ("len=" + r.body().length).getBytes()))
            .limits(limits)
            .bodyLimit(routes)
            .errors(HttpServerTest.ERRORS)
            .start();
    return server;
  }

  @AfterEach
  void stop() throws IOException {
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

  /** Waits (up to 10 s) for a condition of the server's state; the test fails if it never holds. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
      Thread.sleep(10);
    }
  }

  static long allocatedByAllThreads() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getTotalThreadAllocatedBytes();
  }

  static String head(String path, long contentLength) {
    return "POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: " + contentLength + "\r\n\r\n";
  }

  @Test
  void headsDeclaringLargeBodiesCostOnlyTheBytesThatArrived() throws Exception {
    start(HttpLimits.defaults().withMaxBodyBytes(32L << 20), BodyLimit.none());
    int heads = 8;
    long declared = 30_000_000;
    long before = allocatedByAllThreads();

    for (int i = 0; i < heads; i++) {
      connect().write(head("/upload", declared) + "x");
    }
    await("every head's first body byte", () -> server.bodyBytesBuffered() >= heads);

    long allocated = allocatedByAllThreads() - before;
    // the server's earlier form allocated the declared length per head: 240 MB here
    assertThat(allocated).isLessThan(heads * declared / 20);
    assertThat(server.bodyBytesBuffered()).isLessThan(heads * 64L * 1024);
  }

  @Test
  void aBodyThatDoesNotFitWhatIsLeftOfTheBudgetIs503() throws Exception {
    start(
        HttpLimits.defaults().withMaxBodyBytes(1 << 20).withBodyBudgetBytes(64 * 1024),
        BodyLimit.none());
    RawConnection holder = connect().write(head("/a", 60_000) + "x".repeat(50_000));
    await("the first body's 50,000 bytes", () -> server.bodyBytesBuffered() >= 50_000);

    String declared = connect().write(head("/b", 10_000)).readResponse();
    RawConnection chunked =
        connect()
            .write("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
            .write("2710\r\n" + "y".repeat(10_000) + "\r\n");

    assertThat(declared)
        .startsWith("HTTP/1.1 503 ")
        .contains("\"error\":\"NODE_UNAVAILABLE\"")
        .contains("65536");
    assertThat(chunked.readResponse()).startsWith("HTTP/1.1 503 ");
    holder.write("x".repeat(10_000));
    assertThat(holder.readResponse()).startsWith("HTTP/1.1 200 ").endsWith("len=60000");
  }

  @Test
  void theBudgetComesBackWhenARequestIsDoneOrItsConnectionCloses() throws Exception {
    start(
        HttpLimits.defaults().withMaxBodyBytes(1 << 20).withBodyBudgetBytes(64 * 1024),
        BodyLimit.none());
    RawConnection served = connect().write(head("/a", 40_000) + "x".repeat(40_000));
    assertThat(served.readResponse()).endsWith("len=40000");
    await("the served body's bytes given back", () -> server.bodyBytesBuffered() == 0);

    RawConnection leaving = connect().write(head("/b", 60_000) + "x".repeat(50_000));
    await("the unfinished body's bytes", () -> server.bodyBytesBuffered() >= 50_000);
    leaving.close();
    await("the closed connection's bytes given back", () -> server.bodyBytesBuffered() == 0);

    String after = connect().write(head("/c", 60_000) + "z".repeat(60_000)).readResponse();
    assertThat(after).startsWith("HTTP/1.1 200 ").endsWith("len=60000");
  }

  @Test
  void aRoutesLimitRefusesADeclaredLengthBeforeAnyBodyByte() throws Exception {
    start(
        HttpLimits.defaults().withMaxBodyBytes(1 << 20),
        (method, path, contentType) -> path.equals("/small") ? 100 : Long.MAX_VALUE);

    // no body byte is sent: the answer comes from the head alone
    String small = connect().write(head("/small", 101)).readResponse();
    String other = connect().write(head("/other", 101) + "x".repeat(101)).readResponse();
    String cap = connect().write(head("/other", (1 << 20) + 1)).readResponse();

    assertThat(small)
        .startsWith("HTTP/1.1 413 ")
        .contains("\"error\":\"PAYLOAD_TOO_LARGE\"")
        .contains("exceeds the 100 bytes that POST /small accepts");
    assertThat(other).startsWith("HTTP/1.1 200 ").endsWith("len=101");
    assertThat(cap).startsWith("HTTP/1.1 413 ").contains("1048576 bytes");
  }

  @Test
  void aClientStillSendingARefusedBodyCanFinishAndReadsTheAnswer() throws Exception {
    start(HttpLimits.defaults().withMaxBodyBytes(1 << 20), (m, p, t) -> 100);
    int declared = 3 << 20; // over the route's limit, within what the server drains
    RawConnection c = connect().write(head("/small", declared));
    String answer = c.readResponse(); // answered from the head
    assertThat(answer).startsWith("HTTP/1.1 413 ").contains("Connection: close");

    // a client that writes its body before it reads (the JDK's HttpClient, curl): every byte is
    // taken and thrown away; had the server closed with bytes unread, the writes would be reset
    byte[] piece = new byte[64 << 10];
    for (int sent = 0; sent < declared; sent += piece.length) {
      c.write(piece);
      Thread.sleep(2);
    }
    assertThat(c.closedByServer()).as("closed once the refused body was read").isTrue();
  }

  @Test
  void aRefusedBodyBeyondWhatTheServerDrainsIsCutOff() throws Exception {
    start(HttpLimits.defaults().withMaxBodyBytes(32L << 20), (m, p, t) -> 100);
    RawConnection c = connect().write(head("/small", 30_000_000));
    assertThat(c.readResponse()).startsWith("HTTP/1.1 413 ");
    assertThat(c.closedByServer()).as("30 MB are not read to be thrown away").isTrue();
  }
}
