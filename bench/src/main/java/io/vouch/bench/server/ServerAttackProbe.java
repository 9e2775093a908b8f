package io.vouch.bench.server;

import io.netty.util.internal.PlatformDependent;
import io.vouch.bench.direct.BenchModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How each server, as {@link ServedNode} configures it for the benchmark, meets issue 9's attacks,
 * with raw sockets on loopback (bench/README.md, "HTTP server comparison"): framing that RFC 9112
 * refuses, memory taken from a declared Content-Length, a request head trickled one byte a second,
 * and many connections from one address or from several ({@code 127.0.0.2} and up: any 127.x
 * address reaches the loopback interface on Linux; the {@code /health} call comes from {@code
 * 127.0.0.1}). Not a test (it asserts nothing and takes about a minute); it prints what each server
 * did.
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/vouch-benchmarks.jar
 * io.vouch.bench.server.ServerAttackProbe [SERVER,...] [--trickle-seconds N]}
 */
public final class ServerAttackProbe {
  private static final List<NodeServer> DEFAULT_SERVERS =
      List.of(
          NodeServer.NODE,
          NodeServer.NETTY_EPOLL_LOOP,
          NodeServer.JETTY,
          NodeServer.JETTY_ASYNC,
          NodeServer.HELIDON);

  /** Connections that each declare a 30 MB body and send one byte of it. */
  static final int DECLARED_CONNECTIONS = 8;

  static final int DECLARED_BYTES = 30_000_000;

  /** A declared length the node's {@code /v1/infer} accepts for the MNIST-shaped model (4 MiB). */
  static final int DECLARED_BYTES_UNDER_LIMIT = 4_000_000;

  /** The flood's source addresses: one attacker, or ten (60 connections each). */
  static final List<String> ONE_ADDRESS = List.of("127.0.0.2");

  static final List<String> TEN_ADDRESSES =
      List.of(
          "127.0.0.2",
          "127.0.0.3",
          "127.0.0.4",
          "127.0.0.5",
          "127.0.0.6",
          "127.0.0.7",
          "127.0.0.8",
          "127.0.0.9",
          "127.0.0.10",
          "127.0.0.11");

  /** Connections opened before asking for /health on one more. */
  static final int FLOOD_CONNECTIONS = 600;

  private ServerAttackProbe() {}

  /** Framing cases: name → raw request; POST /health reaches the node's routes only as a 405. */
  static Map<String, String> framingCases() {
    Map<String, String> c = new LinkedHashMap<>();
    String chunkedHead = "POST /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    c.put("well-formed chunked body (control)", chunkedHead + "2\r\nab\r\n0\r\n\r\n");
    c.put("chunk size '+2'", chunkedHead + "+2\r\nab\r\n0\r\n\r\n");
    c.put("chunk size ' 2 '", chunkedHead + " 2 \r\nab\r\n0\r\n\r\n");
    c.put("chunk size '2 '", chunkedHead + "2 \r\nab\r\n0\r\n\r\n");
    c.put("chunk size '0x2'", chunkedHead + "0x2\r\nab\r\n0\r\n\r\n");
    c.put("bare LF after the chunk size", chunkedHead + "2\nab\r\n0\r\n\r\n");
    c.put("bare LF after the chunk data", chunkedHead + "2\r\nab\n0\r\n\r\n");
    c.put("bare LF ending head lines", "GET /health HTTP/1.1\nHost: a\n\n");
    c.put("bare CR in a header line", "GET /health HTTP/1.1\r\nHost: a\rX: b\r\n\r\n");
    c.put(
        "Content-Length + Transfer-Encoding",
        "POST /health HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n");
    c.put(
        "two equal Content-Length",
        "POST /health HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab");
    c.put(
        "Content-Length '+2'", "POST /health HTTP/1.1\r\nHost: a\r\nContent-Length: +2\r\n\r\nab");
    c.put(
        "Content-Length of 100 digits",
        "POST /health HTTP/1.1\r\nHost: a\r\nContent-Length: " + "9".repeat(100) + "\r\n\r\nab");
    c.put(
        "Content-Length over the 32 MiB limit",
        "POST /health HTTP/1.1\r\nHost: a\r\nContent-Length: 33554433\r\n\r\nab");
    c.put("space before the header colon", "GET /health HTTP/1.1\r\nHost : a\r\n\r\n");
    c.put("no Host header", "GET /health HTTP/1.1\r\n\r\n");
    return c;
  }

  public static void main(String[] args) throws Exception {
    // Helidon logs each refused request with a stack trace (java.util.logging)
    java.util.logging.Logger helidon = java.util.logging.Logger.getLogger("io.helidon");
    helidon.setLevel(java.util.logging.Level.OFF);
    List<NodeServer> servers = DEFAULT_SERVERS;
    int trickleSeconds = 45;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--trickle-seconds")) {
        trickleSeconds = Integer.parseInt(args[++i]);
      } else {
        servers = new ArrayList<>();
        for (String s : args[i].split(",")) {
          servers.add(NodeServer.valueOf(s.strip().toUpperCase(Locale.ROOT)));
        }
      }
    }
    Map<NodeServer, ServedNode> nodes = new LinkedHashMap<>();
    try {
      for (NodeServer s : servers) {
        nodes.put(s, ServedNode.start(s, BenchModel.MNIST_MLP));
      }
      System.out.println(
          "== framing (status line of the answer; 405 = reached the node's routes) ==");
      for (Map.Entry<String, String> c : framingCases().entrySet()) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-38s", c.getKey()));
        for (Map.Entry<NodeServer, ServedNode> n : nodes.entrySet()) {
          row.append(" | ")
              .append(n.getKey())
              .append(": ")
              .append(firstLine(n.getValue(), c.getValue()));
        }
        System.out.println(row);
      }
      System.out.println();
      for (int declared : new int[] {DECLARED_BYTES, DECLARED_BYTES_UNDER_LIMIT}) {
        System.out.println(
            "== memory from a header ("
                + DECLARED_CONNECTIONS
                + " connections each declaring Content-Length "
                + declared
                + " on /v1/infer and sending 1 byte) ==");
        for (Map.Entry<NodeServer, ServedNode> n : nodes.entrySet()) {
          System.out.println(n.getKey() + ": " + declaredLength(n.getValue(), declared));
        }
        System.out.println();
      }
      for (List<String> from : List.of(ONE_ADDRESS, TEN_ADDRESSES)) {
        String source = from.size() == 1 ? from.getFirst() : from.size() + " addresses";
        System.out.println(
            "== "
                + FLOOD_CONNECTIONS
                + " connections from "
                + source
                + " (each sending half a request head), then GET /health on one more from"
                + " 127.0.0.1 ==");
        for (Map.Entry<NodeServer, ServedNode> n : nodes.entrySet()) {
          System.out.println(n.getKey() + ": " + flood(n.getValue(), HALF_HEAD, from));
        }
        System.out.println();
        System.out.println(
            "== "
                + FLOOD_CONNECTIONS
                + " connections from "
                + source
                + " (each a whole head with Content-Length 1000 and 1 byte of body), then GET"
                + " /health on one more from 127.0.0.1 ==");
        for (Map.Entry<NodeServer, ServedNode> n : nodes.entrySet()) {
          System.out.println(n.getKey() + ": " + flood(n.getValue(), SLOW_BODY, from));
        }
        System.out.println();
      }
      System.out.println(
          "== a request head trickled 1 byte/s for up to " + trickleSeconds + " s ==");
      ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
      Map<NodeServer, Future<String>> trickles = new LinkedHashMap<>();
      for (Map.Entry<NodeServer, ServedNode> n : nodes.entrySet()) {
        int seconds = trickleSeconds;
        trickles.put(n.getKey(), pool.submit(() -> trickle(n.getValue(), seconds)));
      }
      for (Map.Entry<NodeServer, Future<String>> t : trickles.entrySet()) {
        System.out.println(t.getKey() + ": " + t.getValue().get());
      }
      pool.shutdown();
    } finally {
      nodes.values().forEach(ServedNode::close);
    }
  }

  private static Socket connect(ServedNode node) throws IOException {
    return connect(node, null);
  }

  private static Socket connect(ServedNode node, String from) throws IOException {
    URI uri = URI.create(node.baseUrl());
    Socket s = new Socket();
    if (from != null) {
      s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    }
    s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2_000);
    s.setTcpNoDelay(true);
    return s;
  }

  /** Sends {@code raw} on a fresh connection; the answer's status line, or what happened. */
  static String firstLine(ServedNode node, String raw) {
    try (Socket s = connect(node)) {
      s.setSoTimeout(2_000);
      s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        line.append((char) b);
      }
      String text = line.toString().strip();
      if (text.isEmpty()) {
        return "closed, no answer";
      }
      // "HTTP/1.1 400 Bad Request" -> "400"
      String[] parts = text.split(" ");
      return parts.length > 1 ? parts[1] : text;
    } catch (SocketTimeoutException e) {
      return "no answer in 2 s";
    } catch (IOException e) {
      return "reset (" + e.getClass().getSimpleName() + ")";
    }
  }

  /** Heap + direct memory in use after a full GC, in bytes. */
  private static long memoryInUse() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long direct = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      direct += pool.getMemoryUsed();
    }
    long nettyDirect = PlatformDependent.usedDirectMemory();
    return heap + direct + Math.max(0, nettyDirect);
  }

  static String declaredLength(ServedNode node, int declared) throws Exception {
    long before = memoryInUse();
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < DECLARED_CONNECTIONS; i++) {
        Socket s = connect(node);
        sockets.add(s);
        OutputStream out = s.getOutputStream();
        out.write(
            ("POST /v1/infer HTTP/1.1\r\nHost: a\r\nContent-Type: application/vnd.vouch.tensor\r\n"
                    + "Vouch-Model: mnist-mlp@1\r\nContent-Length: "
                    + declared
                    + "\r\n\r\nx")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
      Thread.sleep(1_500);
      long during = memoryInUse();
      double perConnection = (during - before) / (double) DECLARED_CONNECTIONS / 1e6;
      Map<String, Integer> answers = new java.util.TreeMap<>();
      for (Socket s : sockets) {
        answers.merge(answerWithin(s, 200), 1, Integer::sum);
      }
      return String.format(
          Locale.ROOT,
          "%.1f MB held per connection (%s); answers %s",
          perConnection,
          perConnection > declared / 2e6
              ? "preallocates the declared length"
              : "grows with the bytes that arrived",
          answers);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /** Half a request head on each connection: the head is never complete. */
  static final String HALF_HEAD = "GET /health HTTP/1.1\r\nHost: a\r\n";

  /**
   * A whole head and 1 byte of a 1000-byte body: the server has a request and waits for its body.
   */
  static final String SLOW_BODY =
      "POST /v1/infer HTTP/1.1\r\nHost: a\r\nContent-Type: application/vnd.vouch.tensor\r\n"
          + "Vouch-Model: mnist-mlp@1\r\nContent-Length: 1000\r\n\r\nx";

  /** The status of what a connection received within {@code millis}, or "none" / "closed". */
  static String answerWithin(Socket s, int millis) {
    try {
      s.setSoTimeout(millis);
      byte[] b = new byte[12];
      int n = s.getInputStream().readNBytes(b, 0, 12);
      String text = new String(b, 0, n, StandardCharsets.ISO_8859_1);
      return text.startsWith("HTTP/1.1 ") && n == 12 ? text.substring(9, 12) : "closed";
    } catch (SocketTimeoutException e) {
      return "none";
    } catch (IOException e) {
      return "closed";
    }
  }

  static String flood(ServedNode node, String prefix, List<String> from) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    int failed = 0;
    try {
      for (int i = 0; i < FLOOD_CONNECTIONS; i++) {
        Socket s = null;
        try {
          s = connect(node, from.get(i % from.size()));
          sockets.add(s);
          s.getOutputStream().write(prefix.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
          failed++; // refused at once (a reset), or not connected at all
        }
      }
      Thread.sleep(500);
      long t0 = System.nanoTime();
      String status = firstLine(node, "GET /health HTTP/1.1\r\nHost: a\r\n\r\n"); // 127.0.0.1
      long ms = (System.nanoTime() - t0) / 1_000_000;
      Map<String, Integer> census = new java.util.TreeMap<>();
      for (Socket s : sockets) {
        census.merge(answerWithin(s, 1), 1, Integer::sum);
      }
      return String.format(
          Locale.ROOT,
          "%d opened (%d failed to write); /health on one more: %s in %d ms; the %d then: %s"
              + " (none = still open, no answer)",
          sockets.size(),
          failed,
          status,
          ms,
          sockets.size(),
          census);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  static String trickle(ServedNode node, int seconds) {
    long t0 = System.nanoTime();
    try (Socket s = connect(node)) {
      OutputStream out = s.getOutputStream();
      out.write(
          "GET /health HTTP/1.1\r\nHost: a\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
      s.setSoTimeout(1_000);
      InputStream in = s.getInputStream();
      for (int i = 0; i < seconds; i++) {
        out.write('a');
        out.flush();
        try {
          int b = in.read();
          long at = (System.nanoTime() - t0) / 1_000_000_000;
          return b < 0 ? "closed by the server after " + at + " s" : "answered after " + at + " s";
        } catch (SocketTimeoutException e) {
          // nothing yet: one more byte
        }
      }
      return "still open after " + seconds + " s (no deadline for the whole head)";
    } catch (IOException e) {
      long at = (System.nanoTime() - t0) / 1_000_000_000;
      return "connection ended after " + at + " s (" + e.getMessage() + ")";
    }
  }
}
