package io.vouch.bench.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A well-behaved client: calls {@code GET /health} and {@code POST /v1/infer} (binary form) in
 * turn, one call every {@code interval}, each bounded by {@code timeout} from connecting to the
 * last byte of the answer, and tallies what came back.
 *
 * <p>Plain blocking sockets rather than the SDK's {@code NodeClient}: the SDK folds a 503, a
 * timeout and a refused connection into one {@code NODE_UNAVAILABLE}, and the load test must tell
 * them apart. The requests are the SDK's (same headers, same body: the tensor's canonical bytes).
 */
final class Probe implements Runnable {
  /** How the client uses connections. */
  enum Connections {
    /** A new connection for every call ({@code Connection: close}): a client arriving. */
    NEW_PER_CALL("new connection per call"),
    /** One kept-alive connection, opened before the attack, reopened after a failure. */
    KEPT_ALIVE("kept-alive connection");

    final String label;

    Connections(String label) {
      this.label = label;
    }
  }

  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private final Connections connections;
  private final InetSocketAddress node;
  private final byte[] healthRequest;
  private final byte[] inferRequest;
  private final long timeoutNanos;
  private final long intervalNanos;
  private long deadlineNanos;
  private long maxCalls = Long.MAX_VALUE;
  private final EndpointTally health = new EndpointTally();
  private final EndpointTally infer = new EndpointTally();
  private Socket socket;
  private InputStream in;

  Probe(
      Connections connections,
      InetSocketAddress node,
      String modelRef,
      byte[] inputTensor,
      long timeoutMillis,
      long intervalMillis) {
    this.connections = connections;
    this.node = node;
    String host = node.getHostString() + ":" + node.getPort();
    String close = connections == Connections.NEW_PER_CALL ? "Connection: close\r\n" : "";
    this.healthRequest =
        ("GET /health HTTP/1.1\r\nHost: " + host + "\r\n" + close + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] inferHead =
        ("POST /v1/infer HTTP/1.1\r\nHost: "
                + host
                + "\r\nContent-Type: application/vnd.vouch.tensor"
                + "\r\nAccept: application/vnd.vouch.tensor"
                + "\r\nVouch-Model: "
                + modelRef
                + "\r\nContent-Length: "
                + inputTensor.length
                + "\r\n"
                + close
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    this.inferRequest = new byte[inferHead.length + inputTensor.length];
    System.arraycopy(inferHead, 0, inferRequest, 0, inferHead.length);
    System.arraycopy(inputTensor, 0, inferRequest, inferHead.length, inputTensor.length);
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
  }

  Connections connections() {
    return connections;
  }

  /** Calls until {@code deadlineNanos} ({@link System#nanoTime()}); at least one call of each. */
  Probe until(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
    return this;
  }

  /** Stops after {@code calls} calls (at least two), deadline or not. */
  Probe atMost(long calls) {
    this.maxCalls = Math.max(2, calls);
    return this;
  }

  @Override
  public void run() {
    long next = System.nanoTime();
    for (long i = 0; i < maxCalls && (i < 2 || System.nanoTime() - deadlineNanos < 0); i++) {
      boolean isHealth = i % 2 == 0;
      Result r = call(isHealth ? healthRequest : inferRequest);
      (isHealth ? health : infer).add(r.outcome(), r.status(), r.micros());
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else {
        next = System.nanoTime(); // behind (a timeout): no burst to catch up
      }
    }
    closeSocket();
  }

  EndpointTally health() {
    return health;
  }

  EndpointTally infer() {
    return infer;
  }

  /** What one call came to. */
  enum Outcome {
    /** A 2xx answer, read to its end. */
    OK,
    /** An answer with another status (503: no connection slot, 500, ...). */
    REFUSED,
    /** No complete answer within the timeout (connecting included). */
    TIMED_OUT,
    /** Connection refused, reset or closed before the answer was complete. */
    CONNECTION_FAILED
  }

  record Result(Outcome outcome, int status, long micros) {}

  private Result call(byte[] request) {
    long start = System.nanoTime();
    long deadline = start + timeoutNanos;
    try {
      if (socket == null) {
        Socket s = new Socket();
        socket = s;
        s.setTcpNoDelay(true);
        s.connect(node, millisLeft(deadline));
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
      }
      socket.getOutputStream().write(request);
      Reply reply = readReply(deadline);
      if (reply.close() || connections == Connections.NEW_PER_CALL) {
        closeSocket();
      }
      long micros = (System.nanoTime() - start) / 1_000;
      boolean ok = reply.status() >= 200 && reply.status() < 300;
      return new Result(ok ? Outcome.OK : Outcome.REFUSED, reply.status(), micros);
    } catch (SocketTimeoutException e) {
      closeSocket();
      return new Result(Outcome.TIMED_OUT, 0, (System.nanoTime() - start) / 1_000);
    } catch (IOException e) {
      closeSocket();
      return new Result(Outcome.CONNECTION_FAILED, 0, (System.nanoTime() - start) / 1_000);
    }
  }

  private record Reply(int status, boolean close) {}

  /** Reads a status line, headers and a Content-Length body (what the node always sends). */
  private Reply readReply(long deadline) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(512);
    int matched = 0;
    while (matched < 4) {
      int b = read(deadline);
      if (b < 0) {
        throw new IOException("connection closed before the answer was complete");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > MAX_HEAD_BYTES) {
        throw new IOException("answer head larger than " + MAX_HEAD_BYTES + " bytes");
      }
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = AttackConnections.statusOf(lines[0]);
    if (status == 0) {
      throw new IOException("not an HTTP/1.x status line: " + lines[0]);
    }
    long length = -1;
    boolean close = false;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].toLowerCase(Locale.ROOT);
      if (line.startsWith("content-length:")) {
        length = Long.parseLong(line.substring("content-length:".length()).strip());
      } else if (line.startsWith("connection:") && line.contains("close")) {
        close = true;
      }
    }
    if (length < 0) {
      throw new IOException("answer without Content-Length");
    }
    byte[] sink = new byte[8192];
    for (long left = length; left > 0; ) {
      socket.setSoTimeout(millisLeft(deadline));
      int n = in.read(sink, 0, (int) Math.min(sink.length, left));
      if (n < 0) {
        throw new IOException("connection closed inside the answer body");
      }
      left -= n;
    }
    return new Reply(status, close);
  }

  private int read(long deadline) throws IOException {
    socket.setSoTimeout(millisLeft(deadline));
    return in.read();
  }

  private static int millisLeft(long deadline) throws SocketTimeoutException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("no answer in time");
    }
    return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
  }

  private void closeSocket() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // our own socket: nothing to do
      }
      socket = null;
      in = null;
    }
  }
}
