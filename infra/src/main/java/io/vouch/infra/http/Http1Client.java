package io.vouch.infra.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A blocking HTTP/1.1 client for one origin over kept-alive sockets: the calling thread writes the
 * request in one write and reads the answer itself, with no hand-off to other threads (the JDK's
 * {@code java.net.http.HttpClient} passes every exchange through its selector and executor threads,
 * which cost more than the whole server-side work of a node on loopback). Thread-safe: each call
 * takes an idle connection or opens one, and gives it back when the answer was read to its end.
 *
 * <p>Speaks: Content-Length, chunked and close-delimited response bodies; 1xx interim responses
 * (skipped); {@code Connection: close}; {@code http} and {@code https} (the JDK's default TLS
 * settings, host name checked). A request on a reused connection that fails before any byte of the
 * answer arrived (the server closed the idle connection) is sent once more on a new connection; the
 * server cannot have read it. A server that answers before reading the whole request (413 for a
 * body over its limit) and closes makes the write fail; the answer it sent is still read and
 * returned. The timeout bounds the whole exchange. A body is buffered as its bytes arrive, never
 * allocated from the length a server declares, so a server that announces a large answer and sends
 * nothing costs the client nothing.
 *
 * <p>{@link #stream} returns an answer's head at once and its body as an {@link InputStream} that
 * reads from the socket as the server writes (for answers produced piece by piece, such as a
 * model's tokens): the timeout bounds the head and then each wait for body bytes, and there is no
 * cap on the body's total size. The connection returns to the pool when the body was read to its
 * end; closing the stream earlier closes the connection.
 */
public final class Http1Client implements AutoCloseable {
  /** An answer: status, headers keyed by lower-case name, body. */
  public record Reply(int status, Map<String, String> headers, byte[] body) {
    public String header(String lowerCaseName) {
      return headers.get(lowerCaseName);
    }
  }

  /**
   * Answers larger than this are refused rather than buffered (a ZKML proof is at most a few MB).
   */
  static final int MAX_BODY_BYTES = 256 * 1024 * 1024;

  /** Bodies up to this size are read into an array of their declared size, larger ones grow. */
  static final int FIRST_BUFFER_BYTES = 64 * 1024;

  private static final int MAX_IDLE = 16;
  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private final String host;
  private final int port;
  private final boolean tls;
  private final String hostHeader;
  private final int connectTimeoutMillis;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  public Http1Client(URI origin, Duration connectTimeout) {
    String scheme = origin.getScheme() == null ? "" : origin.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "endpoint " + origin + " must be an http:// or https:// URL");
    }
    if (origin.getHost() == null) {
      throw new IllegalArgumentException("endpoint " + origin + " names no host");
    }
    this.tls = scheme.equals("https");
    this.host = origin.getHost();
    int defaultPort = tls ? 443 : 80;
    this.port = origin.getPort() < 0 ? defaultPort : origin.getPort();
    this.hostHeader = origin.getPort() < 0 ? host : host + ":" + port;
    this.connectTimeoutMillis =
        (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
  }

  /**
   * Sends one request and reads the whole answer.
   *
   * @param headers extra header lines, each {@code "Name: value"} (no CR or LF)
   * @param body the request body, or null for none
   * @throws SocketTimeoutException when the answer did not arrive within {@code timeout}
   * @throws IOException when the server cannot be reached or answered with broken HTTP
   */
  public Reply send(String method, String path, String[] headers, byte[] body, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] request = encode(method, path, headers, body);
    Connection c = idle.pollFirst();
    if (c != null) {
      try {
        return exchange(c, request, method, deadline);
      } catch (StaleConnectionException e) {
        c.close(); // closed by the server while idle; the request never reached it
      }
    }
    try {
      return exchange(open(deadline), request, method, deadline);
    } catch (StaleConnectionException e) {
      throw new EOFException("the server closed the connection without answering");
    }
  }

  /** The request didn't get a single byte of answer on a connection that was already used. */
  private static final class StaleConnectionException extends IOException {
    StaleConnectionException(IOException cause) {
      super(cause);
    }
  }

  private Reply exchange(Connection c, byte[] request, String method, long deadline)
      throws IOException {
    boolean ok = false;
    try {
      Reply early = sendRequest(c, request, method, deadline);
      if (early != null) {
        ok = true;
        return early;
      }
      Reply reply = c.readReply(method, deadline);
      ok = true;
      return reply;
    } finally {
      if (!ok || !c.reusable || closed || !offerIdle(c)) {
        c.close();
      }
    }
  }

  /**
   * Writes the request and waits for the first byte of the answer; returns the answer a server sent
   * before it stopped reading the request, else null.
   */
  private static Reply sendRequest(Connection c, byte[] request, String method, long deadline)
      throws IOException {
    try {
      try {
        c.out.write(request);
        c.out.flush();
      } catch (IOException e) {
        Reply early = earlyAnswer(c, method, deadline);
        if (early == null) {
          throw e;
        }
        return early;
      }
      c.timeout(deadline);
      c.awaitAnswer();
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException e) {
      if (c.used) {
        throw new StaleConnectionException(e);
      }
      throw e;
    }
    c.used = true;
    return null;
  }

  /**
   * Sends one request and returns the answer's head with its body as a stream (see the class
   * comment). Close the reply (or read its body to the end) to free the connection.
   *
   * @param timeout bounds the wait for the head, then each wait for body bytes
   * @throws SocketTimeoutException when the head did not arrive within {@code timeout}
   * @throws IOException when the server cannot be reached or answered with broken HTTP
   */
  public StreamedReply stream(
      String method, String path, String[] headers, byte[] body, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] request = encode(method, path, headers, body);
    Connection c = idle.pollFirst();
    if (c != null) {
      try {
        return streamOn(c, request, method, deadline, timeout);
      } catch (StaleConnectionException e) {
        c.close(); // closed by the server while idle; the request never reached it
      }
    }
    try {
      return streamOn(open(deadline), request, method, deadline, timeout);
    } catch (StaleConnectionException e) {
      throw new EOFException("the server closed the connection without answering");
    }
  }

  private StreamedReply streamOn(
      Connection c, byte[] request, String method, long deadline, Duration readTimeout)
      throws IOException {
    boolean ok = false;
    try {
      Reply early = sendRequest(c, request, method, deadline);
      StreamedReply reply;
      if (early != null) {
        c.close();
        reply =
            new StreamedReply(
                early.status(), early.headers(), new java.io.ByteArrayInputStream(early.body()));
      } else {
        Connection.Head head = c.readHead(deadline);
        reply =
            new StreamedReply(
                head.status(), head.headers(), new BodyStream(c, method, head, readTimeout));
      }
      ok = true;
      return reply;
    } finally {
      if (!ok) {
        c.close();
      }
    }
  }

  /** An answer whose body arrives as it is read; closing it closes the body. */
  public record StreamedReply(int status, Map<String, String> headers, InputStream body)
      implements AutoCloseable {
    public String header(String lowerCaseName) {
      return headers.get(lowerCaseName);
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /** A body read from the connection as the caller reads; the connection is freed at its end. */
  private final class BodyStream extends InputStream {
    private final Connection c;
    private final long readTimeoutNanos;
    private final boolean chunked;
    private final boolean untilClose;
    private long left; // body bytes (Content-Length) or bytes of the current chunk still to read
    private long read;
    private boolean chunkEnd; // a chunk's data was read: its CRLF comes next
    private boolean done;
    private boolean closedByCaller;

    BodyStream(Connection c, String method, Connection.Head head, Duration readTimeout)
        throws IOException {
      this.c = c;
      this.readTimeoutNanos = readTimeout.toNanos();
      Map<String, String> h = head.headers();
      if (method.equals("HEAD") || head.status() == 204 || head.status() == 304) {
        chunked = false;
        untilClose = false;
        left = 0;
      } else if (h.containsKey("transfer-encoding")) {
        if (!h.get("transfer-encoding").toLowerCase(Locale.ROOT).endsWith("chunked")) {
          throw new IOException("unsupported transfer coding " + h.get("transfer-encoding"));
        }
        chunked = true;
        untilClose = false;
      } else if (h.containsKey("content-length")) {
        chunked = false;
        untilClose = false;
        left = contentLength(h.get("content-length"));
      } else {
        chunked = false;
        untilClose = true;
        c.reusable = false;
      }
      if (!chunked && !untilClose && left == 0) {
        finish();
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (closedByCaller) {
        throw new IOException("the answer's body was closed");
      }
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      try {
        return readBody(b, off, len);
      } catch (EOFException e) {
        throw new EOFException(
            "connection closed after " + read + " body bytes, before the answer's end");
      }
    }

    private int readBody(byte[] b, int off, int len) throws IOException {
      long deadline = System.nanoTime() + readTimeoutNanos;
      if (chunked && left == 0) {
        if (chunkEnd && !c.line(deadline).isEmpty()) {
          throw new IOException("chunk longer than its size line says");
        }
        chunkEnd = false;
        String sizeLine = c.line(deadline);
        int semi = sizeLine.indexOf(';');
        long size = Connection.chunkSize(semi >= 0 ? sizeLine.substring(0, semi) : sizeLine);
        if (size == 0) {
          while (!c.line(deadline).isEmpty()) {
            // trailers: ignored
          }
          finish();
          return -1;
        }
        left = size;
      }
      if (c.pos == c.end) {
        c.timeout(deadline);
        if (!c.fill()) {
          if (untilClose) {
            finish();
            return -1;
          }
          throw new EOFException(
              "connection closed after " + read + " body bytes, before the answer's end");
        }
      }
      int take = Math.min(len, c.end - c.pos);
      if (!untilClose) {
        take = (int) Math.min(take, left);
      }
      System.arraycopy(c.buf, c.pos, b, off, take);
      c.pos += take;
      read += take;
      if (!untilClose) {
        left -= take;
        if (chunked && left == 0) {
          chunkEnd = true;
        } else if (!chunked && left == 0) {
          finish(); // the connection is free as soon as the last byte is in
        }
      }
      return take;
    }

    @Override
    public int available() {
      return done || closedByCaller
          ? 0
          : (int) Math.min(c.end - c.pos, untilClose ? Integer.MAX_VALUE : left);
    }

    /** The body ended: the connection goes back to the pool when it may carry another request. */
    private void finish() {
      done = true;
      if (!c.reusable || closed || !offerIdle(c)) {
        c.close();
      }
    }

    @Override
    public void close() {
      if (!done) {
        done = true;
        c.close(); // unread bytes of this answer would precede the next one
      }
      closedByCaller = true;
    }
  }

  /**
   * The answer a server sent before it stopped reading the request, e.g. 413 for a body over its
   * limit followed by a close: the write then fails (broken pipe, reset), but the answer already
   * arrived and says what was wrong. Null when there is none; the connection is not reused.
   */
  private static Reply earlyAnswer(Connection c, String method, long deadline) {
    try {
      c.timeout(deadline);
      c.awaitAnswer();
      Reply reply = c.readReply(method, deadline);
      c.reusable = false;
      return reply;
    } catch (IOException none) {
      return null;
    }
  }

  private boolean offerIdle(Connection c) {
    if (idle.size() >= MAX_IDLE) {
      return false;
    }
    idle.offerFirst(c);
    return true;
  }

  private Connection open(long deadline) throws IOException {
    if (closed) {
      throw new IOException("this client is closed");
    }
    Socket s = new Socket();
    try {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      int limit = (int) Math.min(connectTimeoutMillis, left);
      try {
        s.connect(new InetSocketAddress(host, port), limit);
      } catch (SocketTimeoutException e) {
        throw new ConnectException(
            "connecting to " + host + ":" + port + " timed out after " + limit + " ms");
      }
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      if (tls) {
        SSLSocket ssl =
            (SSLSocket)
                ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(s, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        s = ssl;
      }
      return new Connection(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private byte[] encode(String method, String path, String[] headers, byte[] body) {
    StringBuilder h = new StringBuilder(256);
    h.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(hostHeader);
    h.append("\r\n");
    for (String line : headers) {
      if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("header line must not contain CR or LF: " + line);
      }
      h.append(line).append("\r\n");
    }
    if (body != null) {
      h.append("Content-Length: ").append(body.length).append("\r\n");
    }
    h.append("\r\n");
    byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (body == null || body.length == 0) {
      return head;
    }
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** A Content-Length value: decimal digits only (no sign, no spaces, no list), at most 2^63-1. */
  static long contentLength(String value) throws IOException {
    if (value.isEmpty() || value.length() > 18) {
      throw new IOException("malformed Content-Length '" + Connection.printable(value) + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch < '0' || ch > '9') {
        throw new IOException("malformed Content-Length '" + Connection.printable(value) + "'");
      }
    }
    return Long.parseLong(value);
  }

  /** Closes the idle connections; connections in use close when their exchange ends. */
  @Override
  public void close() {
    closed = true;
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      c.close();
    }
  }

  /** One socket, its buffered input and whether it may carry another request. */
  private static final class Connection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final byte[] buf = new byte[16 * 1024];
    int pos;
    int end;
    boolean used;
    boolean reusable;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    void timeout(long deadline) throws IOException {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new SocketTimeoutException("no answer in time");
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    /** Blocks until the first byte of the answer; EOF here means the server closed the socket. */
    void awaitAnswer() throws IOException {
      if (pos == end && !fill()) {
        throw new EOFException("connection closed before the answer");
      }
    }

    boolean fill() throws IOException {
      if (pos == end) {
        pos = 0;
        end = 0;
      }
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        return false;
      }
      end += n;
      return true;
    }

    /** A response head: status and headers by lower-case name (repeats joined with ", "). */
    record Head(int status, Map<String, String> headers) {}

    /** The next final answer's head (1xx interim answers skipped); sets {@link #reusable}. */
    Head readHead(long deadline) throws IOException {
      while (true) {
        String statusLine = line(deadline);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
          throw new IOException("not an HTTP/1.x status line: '" + printable(statusLine) + "'");
        }
        int status;
        try {
          status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
          throw new IOException("malformed status line: '" + printable(statusLine) + "'");
        }
        boolean http11 = statusLine.startsWith("HTTP/1.1");
        Map<String, String> headers = new HashMap<>();
        int headBytes = statusLine.length();
        while (true) {
          String h = line(deadline);
          if (h.isEmpty()) {
            break;
          }
          headBytes += h.length();
          if (headBytes > MAX_HEAD_BYTES) {
            throw new IOException("response head larger than " + MAX_HEAD_BYTES + " bytes");
          }
          int colon = h.indexOf(':');
          if (colon <= 0) {
            throw new IOException("malformed header line: '" + printable(h) + "'");
          }
          headers.merge(
              h.substring(0, colon).strip().toLowerCase(Locale.ROOT),
              h.substring(colon + 1).strip(),
              (a, b) -> a + ", " + b);
        }
        if (status >= 100 && status < 200) {
          continue; // 100 Continue and friends: the real answer follows
        }
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        reusable = http11 ? !connection.contains("close") : connection.contains("keep-alive");
        return new Head(status, headers);
      }
    }

    Reply readReply(String method, long deadline) throws IOException {
      Head head = readHead(deadline);
      int status = head.status();
      Map<String, String> headers = head.headers();
      byte[] body;
      if (method.equals("HEAD") || status == 204 || status == 304) {
        body = new byte[0];
      } else if (headers.containsKey("transfer-encoding")) {
        if (!headers.get("transfer-encoding").toLowerCase(Locale.ROOT).endsWith("chunked")) {
          throw new IOException("unsupported transfer coding " + headers.get("transfer-encoding"));
        }
        body = chunked(deadline);
      } else if (headers.containsKey("content-length")) {
        long length = contentLength(headers.get("content-length"));
        if (length > MAX_BODY_BYTES) {
          throw new IOException("answer of " + length + " bytes exceeds " + MAX_BODY_BYTES);
        }
        body = exactly((int) length, deadline);
      } else {
        body = untilClose(deadline);
        reusable = false;
      }
      return new Reply(status, headers, body);
    }

    /**
     * The next line of a head or of chunked framing, without its CRLF. A bare LF (or a CR not
     * followed by LF) is refused (RFC 9112 §2.2): where a peer and an intermediary split lines
     * differently, one can read an answer the other never saw.
     */
    String line(long deadline) throws IOException {
      StringBuilder b = null;
      while (true) {
        for (int i = pos; i < end; i++) {
          if (buf[i] == '\n') {
            boolean cr =
                i > pos
                    ? buf[i - 1] == '\r'
                    : b != null && !b.isEmpty() && b.charAt(b.length() - 1) == '\r';
            if (!cr) {
              throw new IOException("bare LF in the response head or chunk framing (RFC 9112)");
            }
            String part = new String(buf, pos, i - pos, StandardCharsets.ISO_8859_1);
            pos = i + 1;
            String line = b == null ? part : b.append(part).toString();
            line = line.substring(0, line.length() - 1);
            if (line.indexOf('\r') >= 0) {
              throw new IOException("bare CR in the response head or chunk framing (RFC 9112)");
            }
            return line;
          }
        }
        if (b == null) {
          b = new StringBuilder();
        }
        b.append(new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1));
        pos = end;
        if (b.length() > MAX_HEAD_BYTES) {
          throw new IOException("response line longer than " + MAX_HEAD_BYTES + " bytes");
        }
        timeout(deadline);
        if (!fill()) {
          throw new EOFException("connection closed inside the response head");
        }
      }
    }

    /**
     * The next {@code n} body bytes. The buffer grows as bytes arrive (never from the declared
     * length alone): a server that announces a large body and sends nothing costs no memory.
     */
    private byte[] exactly(int n, long deadline) throws IOException {
      if (n <= FIRST_BUFFER_BYTES) {
        byte[] out = new byte[n];
        fillExactly(out, 0, n, deadline);
        return out;
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream(FIRST_BUFFER_BYTES);
      copy(body, n, deadline);
      return body.toByteArray();
    }

    /** Reads exactly {@code n} bytes into {@code out[from..from+n)}, buffered bytes first. */
    private void fillExactly(byte[] out, int from, int n, long deadline) throws IOException {
      int have = Math.min(n, end - pos);
      System.arraycopy(buf, pos, out, from, have);
      pos += have;
      while (have < n) {
        timeout(deadline);
        int r = in.read(out, from + have, n - have);
        if (r < 0) {
          throw new EOFException("connection closed after " + have + " of " + n + " body bytes");
        }
        have += r;
      }
    }

    /** Appends the next {@code n} bytes to {@code body}, at most a buffer's worth at a time. */
    private void copy(ByteArrayOutputStream body, long n, long deadline) throws IOException {
      long left = n;
      while (left > 0) {
        if (pos == end) {
          timeout(deadline);
          if (!fill()) {
            throw new EOFException(
                "connection closed after " + (n - left) + " of " + n + " body bytes");
          }
        }
        int take = (int) Math.min(left, end - pos);
        body.write(buf, pos, take);
        pos += take;
        left -= take;
      }
    }

    private byte[] chunked(long deadline) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = line(deadline);
        int semi = sizeLine.indexOf(';');
        String hex = semi >= 0 ? sizeLine.substring(0, semi) : sizeLine;
        long size = chunkSize(hex);
        if (body.size() + size > MAX_BODY_BYTES) {
          throw new IOException("chunked answer exceeds " + MAX_BODY_BYTES + " bytes");
        }
        if (size == 0) {
          while (!line(deadline).isEmpty()) {
            // trailers: ignored
          }
          return body.toByteArray();
        }
        copy(body, size, deadline);
        if (!line(deadline).isEmpty()) {
          throw new IOException("chunk longer than its size line says");
        }
      }
    }

    /** RFC 9112 chunk-size: 1*HEXDIG and nothing else (no sign, no spaces). */
    static long chunkSize(String hex) throws IOException {
      if (hex.isEmpty() || hex.length() > 15) {
        throw new IOException("malformed chunk size '" + printable(hex) + "'");
      }
      for (int i = 0; i < hex.length(); i++) {
        if (Character.digit(hex.charAt(i), 16) < 0) {
          throw new IOException("malformed chunk size '" + printable(hex) + "'");
        }
      }
      return Long.parseLong(hex, 16);
    }

    private byte[] untilClose(long deadline) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.write(buf, pos, end - pos);
      pos = end;
      byte[] chunk = new byte[16 * 1024];
      while (true) {
        timeout(deadline);
        int r = in.read(chunk);
        if (r < 0) {
          return body.toByteArray();
        }
        if (body.size() + r > MAX_BODY_BYTES) {
          throw new IOException("answer exceeds " + MAX_BODY_BYTES + " bytes");
        }
        body.write(chunk, 0, r);
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }

    private static String printable(String s) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < s.length() && b.length() < 100; i++) {
        char c = s.charAt(i);
        b.append(c >= 0x20 && c < 0x7f ? c : '?');
      }
      return b.toString();
    }
  }
}
