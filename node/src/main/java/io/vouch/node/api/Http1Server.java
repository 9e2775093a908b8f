package io.vouch.node.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small blocking HTTP/1.1 server (RFC 9112) for the node API: one platform thread owns each
 * connection and serves its requests in order; every response carries a Content-Length and leaves
 * in one write, with TCP_NODELAY.
 *
 * <p>Why not the JDK's {@code com.sun.net.httpserver}: its selector thread hands each request to an
 * executor and takes the connection back afterwards. On loopback that cost about 50 µs per request
 * with virtual threads and 23 µs with the selector running handlers itself (which lets one slow
 * request, a ZKML proof or a chain call, stall every connection), against 14 µs for a thread that
 * owns its connection (bench/README.md, direct path). Virtual threads per connection measured 45–70
 * µs here: the poller hand-off on every read.
 *
 * <p>What it speaks: request bodies framed by Content-Length or the chunked transfer coding; {@code
 * Expect: 100-continue}; persistent connections (HTTP/1.1 default, {@code Connection: close}
 * honoured, HTTP/1.0 closes after one response); HEAD as GET without the body; origin- and
 * absolute-form targets. Requests it cannot frame are answered and the connection is closed:
 * malformed request line or headers, missing Host, Content-Length with Transfer-Encoding (400), URI
 * too long (414), header section too large (431), body too large (413), a transfer coding other
 * than chunked (501), a version other than 1.0/1.1 (505), an unsupported Expect (417), more
 * connections than allowed (503). Limits: an idle timeout between requests and a read timeout
 * within one, so a slow or silent client holds only its own thread, and only for a while.
 */
final class Http1Server implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Http1Server.class);

  static final int MAX_REQUEST_LINE = 8 * 1024;
  static final int MAX_HEADER_BYTES = 64 * 1024;
  static final int MAX_HEADERS = 100;
  private static final int LINGER_MILLIS = 1_000;
  private static final long LINGER_BYTES = 1 << 20;

  /** One request, headers keyed by lower-case name (repeated headers joined with ", "). */
  record Request(
      String method,
      String path,
      String query,
      Map<String, String> headers,
      byte[] body,
      InetSocketAddress remote) {
    /** A header's value, or null; {@code name} in lower case. */
    String header(String name) {
      return headers.get(name);
    }
  }

  /** One response; the server adds Date, Content-Length and, when closing, Connection. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    static Response of(int status, String contentType, byte[] body) {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Content-Type", contentType);
      return new Response(status, h, body);
    }

    Response with(String name, String value) {
      headers.put(name, value);
      return this;
    }
  }

  /** Answers one request; runs on the connection's thread. */
  interface Handler {
    Response handle(Request request) throws IOException;
  }

  /** Limits that protect the node from large, slow or numerous clients. */
  record Limits(
      long maxBodyBytes, int maxConnections, int idleTimeoutMillis, int readTimeoutMillis) {}

  private final ServerSocket socket;
  private final Handler handler;
  private final Limits limits;
  private final Semaphore connectionSlots;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connectionCounter = new AtomicInteger();
  private final Thread acceptor;
  private volatile boolean closing;

  private Http1Server(ServerSocket socket, Handler handler, Limits limits) {
    this.socket = socket;
    this.handler = handler;
    this.limits = limits;
    this.connectionSlots = new Semaphore(limits.maxConnections());
    int port = socket.getLocalPort();
    this.acceptor = Thread.ofPlatform().name("vouch-http-accept-" + port).unstarted(this::accept);
  }

  /** Binds {@code host:port} (0 picks a free port) and starts accepting connections. */
  static Http1Server start(String host, int port, int backlog, Limits limits, Handler handler)
      throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), backlog);
    Http1Server server = new Http1Server(socket, handler, limits);
    server.acceptor.start();
    return server;
  }

  int port() {
    return socket.getLocalPort();
  }

  /**
   * Stops accepting, closes idle connections at once, lets requests in progress finish for up to
   * {@code graceMillis}, then closes what is left.
   */
  void stop(long graceMillis) {
    closing = true;
    try {
      socket.close();
    } catch (IOException e) {
      LOG.debug("closing the listening socket", e);
    }
    connections.forEach(c -> {
      if (!c.busy) {
        c.close();
      }
    });
    long deadline = System.nanoTime() + graceMillis * 1_000_000;
    for (Connection c : connections) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left > 0) {
        try {
          c.thread.join(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    connections.forEach(Connection::close);
    try {
      acceptor.join(graceMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(1_000);
  }

  private void accept() {
    while (!closing) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        if (closing || socket.isClosed()) {
          return;
        }
        // e.g. out of file descriptors: say so, and do not spin on a failure that repeats
        LOG.warn("accepting a connection failed: {}", e.toString());
        try {
          Thread.sleep(10);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        continue;
      }
      if (!connectionSlots.tryAcquire()) {
        refuse(s);
        continue;
      }
      Connection c = new Connection(s);
      connections.add(c);
      c.thread.start();
    }
  }

  /** More connections than allowed: say so and close (one small write, no reading). */
  private void refuse(Socket s) {
    try (s) {
      s.setSoTimeout(1_000);
      writeResponse(
          s.getOutputStream(),
          errorResponse(
              503,
              "the node has "
                  + limits.maxConnections()
                  + " connections open, its limit; retry, or reuse a connection"),
          false,
          false);
    } catch (IOException e) {
      LOG.debug("refusing a connection", e);
    }
  }

  /**
   * A request the server cannot frame: answered with {@code status}, then the connection closes.
   */
  private static final class Refusal extends Exception {
    final int status;

    Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private final class Connection {
    final Socket socket;
    final Thread thread;
    volatile boolean busy;

    Connection(Socket socket) {
      this.socket = socket;
      this.thread =
          Thread.ofPlatform()
              .daemon()
              .name(
                  "vouch-http-" + socket.getLocalPort() + "-" + connectionCounter.incrementAndGet())
              .unstarted(this::serve);
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("closing a connection", e);
      }
    }

    private void serve() {
      try {
        socket.setTcpNoDelay(true);
        RequestReader in = new RequestReader(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        while (!closing) {
          socket.setSoTimeout(limits.idleTimeoutMillis());
          if (!in.awaitRequest()) {
            return;
          }
          busy = true;
          socket.setSoTimeout(limits.readTimeoutMillis());
          if (!serveOne(in, out, remote)) {
            return;
          }
          busy = false;
        }
      } catch (SocketTimeoutException | SocketException e) {
        // idle too long, too slow, reset or closed by stop(): nothing to answer
      } catch (IOException e) {
        LOG.debug("connection from {} failed", socket.getRemoteSocketAddress(), e);
      } finally {
        close();
        connections.remove(this);
        connectionSlots.release();
      }
    }

    /** Reads and answers one request; false when the connection must close afterwards. */
    private boolean serveOne(RequestReader in, OutputStream out, InetSocketAddress remote)
        throws IOException {
      ParsedHead head;
      byte[] body;
      try {
        head = readHead(in);
        body = readBody(in, out, head);
      } catch (Refusal r) {
        writeResponse(out, errorResponse(r.status, r.getMessage()), false, false);
        lingeringClose(socket, in);
        return false;
      }
      boolean keepAlive = head.keepAlive && !closing;
      boolean headOnly = head.method.equals("HEAD");
      Request request =
          new Request(
              headOnly ? "GET" : head.method, head.path, head.query, head.headers, body, remote);
      Response response;
      try {
        response = handler.handle(request);
      } catch (RuntimeException | IOException e) {
        LOG.error("internal error on {} {}", head.method, head.path, e);
        response = errorResponse(500, "internal error: " + e);
      }
      writeResponse(out, response, keepAlive, headOnly);
      return keepAlive;
    }
  }

  /**
   * After a refusal the client may still be sending (a body we will not read): closing with unread
   * bytes would reset the connection and could destroy the response before the client reads it, so
   * stop writing, then discard input for a moment.
   */
  private static void lingeringClose(Socket socket, RequestReader in) {
    try {
      socket.shutdownOutput();
      socket.setSoTimeout(LINGER_MILLIS);
      in.discard(LINGER_BYTES);
    } catch (IOException e) {
      // gone already, or too slow: close anyway
    }
  }

  private record ParsedHead(
      String method,
      String path,
      String query,
      Map<String, String> headers,
      boolean keepAlive,
      boolean http11) {}

  private static ParsedHead readHead(RequestReader in) throws IOException, Refusal {
    String line = in.line(MAX_REQUEST_LINE, 414, "request line");
    int sp1 = line.indexOf(' ');
    int sp2 = line.lastIndexOf(' ');
    if (sp1 <= 0 || sp2 == sp1) {
      throw new Refusal(400, "malformed request line '" + printable(line) + "'");
    }
    String method = line.substring(0, sp1);
    String target = line.substring(sp1 + 1, sp2);
    String version = line.substring(sp2 + 1);
    if (!isToken(method) || target.isEmpty() || target.indexOf(' ') >= 0) {
      throw new Refusal(400, "malformed request line '" + printable(line) + "'");
    }
    boolean http11;
    if (version.equals("HTTP/1.1")) {
      http11 = true;
    } else if (version.equals("HTTP/1.0")) {
      http11 = false;
    } else if (version.startsWith("HTTP/")) {
      throw new Refusal(505, "HTTP version " + printable(version) + " is not supported; use 1.1");
    } else {
      throw new Refusal(400, "malformed request line '" + printable(line) + "'");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    int headerBytes = 0;
    while (true) {
      String h = in.line(Math.max(0, MAX_HEADER_BYTES - headerBytes), 431, "header section");
      if (h.isEmpty()) {
        break;
      }
      headerBytes += h.length() + 2;
      if (headers.size() >= MAX_HEADERS) {
        throw new Refusal(431, "more than " + MAX_HEADERS + " header fields");
      }
      char first = h.charAt(0);
      int colon = h.indexOf(':');
      if (first == ' ' || first == '\t' || colon <= 0 || !isToken(h.substring(0, colon))) {
        throw new Refusal(400, "malformed header line '" + printable(h) + "'");
      }
      String name = h.substring(0, colon).toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).strip();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    if (http11 && !headers.containsKey("host")) {
      throw new Refusal(400, "an HTTP/1.1 request must carry a Host header");
    }
    String path;
    String query;
    try {
      URI uri = new URI(target);
      if (uri.isAbsolute()
          ? uri.getRawPath() == null || uri.getRawPath().isEmpty()
          : !target.startsWith("/")) {
        throw new URISyntaxException(target, "not an origin-form or absolute-form target");
      }
      path = uri.getPath();
      query = uri.getRawQuery();
    } catch (URISyntaxException e) {
      throw new Refusal(400, "malformed request target: " + printable(e.getMessage()));
    }
    String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
    boolean keepAlive = http11 && !connection.contains("close");
    return new ParsedHead(method, path, query, headers, keepAlive, http11);
  }

  private byte[] readBody(RequestReader in, OutputStream out, ParsedHead head)
      throws IOException, Refusal {
    String te = head.headers.get("transfer-encoding");
    String cl = head.headers.get("content-length");
    if (te != null && cl != null) {
      throw new Refusal(400, "a request must not carry both Content-Length and Transfer-Encoding");
    }
    long length = 0;
    if (te != null) {
      if (!te.equalsIgnoreCase("chunked")) {
        throw new Refusal(
            501, "transfer coding '" + printable(te) + "' is not supported; use chunked");
      }
    } else if (cl != null) {
      if (cl.isEmpty() || cl.length() > 18 || !cl.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new Refusal(400, "Content-Length '" + printable(cl) + "' is not a decimal length");
      }
      length = Long.parseLong(cl);
      if (length > limits.maxBodyBytes()) {
        throw new Refusal(413, "request body exceeds " + limits.maxBodyBytes() + " bytes");
      }
    }
    String expect = head.headers.get("expect");
    if (expect != null && head.http11) {
      if (!expect.equalsIgnoreCase("100-continue")) {
        throw new Refusal(417, "Expect '" + printable(expect) + "' is not supported");
      }
      if (te != null || length > 0) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    }
    if (te != null) {
      return in.chunked(limits.maxBodyBytes());
    }
    return in.exactly((int) length);
  }

  static Response errorResponse(int status, String message) {
    // the shared error names (io.vouch.core.error.ErrorCode), so that clients map them as usual
    String code =
        switch (status) {
          case 413 -> "PAYLOAD_TOO_LARGE";
          case 500 -> "INTERNAL";
          case 503 -> "NODE_UNAVAILABLE";
          default -> "BAD_INPUT";
        };
    String json = "{\"error\":\"" + code + "\",\"message\":\"" + jsonEscape(message) + "\"}";
    return Response.of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  private static String jsonEscape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** Status line, headers and body in one write. */
  static void writeResponse(OutputStream out, Response r, boolean keepAlive, boolean headOnly)
      throws IOException {
    StringBuilder h = new StringBuilder(256);
    h.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
    h.append("Date: ").append(HttpDate.now()).append("\r\n");
    for (Map.Entry<String, String> e : r.headers().entrySet()) {
      h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    h.append("Content-Length: ").append(r.body().length).append("\r\n");
    if (!keepAlive) {
      h.append("Connection: close\r\n");
    }
    h.append("\r\n");
    byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    int bodyLength = headOnly ? 0 : r.body().length;
    byte[] all = new byte[head.length + bodyLength];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(r.body(), 0, all, head.length, bodyLength);
    out.write(all);
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 402 -> "Payment Required";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 417 -> "Expectation Failed";
      case 422 -> "Unprocessable Content";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status";
    };
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A client's text echoed in a message: printable ASCII only, at most 100 characters. */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 100));
    for (int i = 0; i < s.length() && b.length() < 100; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }

  /** The Date header, formatted once per second. */
  private static final class HttpDate {
    private static final DateTimeFormatter FORMAT =
        DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private record Stamp(long second, String text) {}

    private static volatile Stamp cached = new Stamp(-1, "");

    static String now() {
      long second = System.currentTimeMillis() / 1_000;
      Stamp c = cached;
      if (c.second() != second) {
        c = new Stamp(second, FORMAT.format(Instant.ofEpochSecond(second)));
        cached = c;
      }
      return c.text();
    }
  }

  /** Buffered reads of request heads (lines) and bodies from one connection. */
  private static final class RequestReader {
    private final InputStream in;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int end;

    RequestReader(InputStream in) {
      this.in = in;
    }

    /** Waits for the first byte of the next request; false on a clean close by the client. */
    boolean awaitRequest() throws IOException {
      while (pos == end) {
        if (!fill()) {
          return false;
        }
      }
      return true;
    }

    private boolean fill() throws IOException {
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

    /** One line without its CRLF (a bare LF is accepted); refused beyond {@code max} bytes. */
    String line(int max, int status, String what) throws IOException, Refusal {
      StringBuilder b = null;
      while (true) {
        for (int i = pos; i < end; i++) {
          if (buf[i] == '\n') {
            int stop = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
            String part = new String(buf, pos, stop - pos, StandardCharsets.ISO_8859_1);
            pos = i + 1;
            String line = b == null ? part : b.append(part).toString();
            if (line.length() > max) {
              throw new Refusal(status, what + " longer than " + max + " bytes");
            }
            if (b != null && line.endsWith("\r")) {
              line = line.substring(0, line.length() - 1);
            }
            return line;
          }
        }
        if (b == null) {
          b = new StringBuilder();
        }
        b.append(new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1));
        pos = end;
        if (b.length() > max) {
          throw new Refusal(status, what + " longer than " + max + " bytes");
        }
        if (!fill()) {
          throw new SocketException("connection closed inside the request head");
        }
      }
    }

    /** Reads and drops input until the client closes, or {@code max} bytes. */
    void discard(long max) throws IOException {
      long dropped = end - pos;
      pos = end;
      while (dropped < max) {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
          return;
        }
        dropped += n;
      }
    }

    byte[] exactly(int n) throws IOException {
      byte[] out = new byte[n];
      int have = Math.min(n, end - pos);
      System.arraycopy(buf, pos, out, 0, have);
      pos += have;
      while (have < n) {
        int r = in.read(out, have, n - have);
        if (r < 0) {
          throw new SocketException("connection closed inside the request body");
        }
        have += r;
      }
      return out;
    }

    byte[] chunked(long maxBytes) throws IOException, Refusal {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = line(1024, 400, "chunk size line");
        int semi = sizeLine.indexOf(';');
        String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).strip();
        long size;
        try {
          size = hex.length() > 15 ? Long.MAX_VALUE : Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          throw new Refusal(400, "malformed chunk size '" + printable(hex) + "'");
        }
        if (size < 0 || body.size() + size > maxBytes) {
          throw new Refusal(413, "request body exceeds " + maxBytes + " bytes");
        }
        if (size == 0) {
          int trailers = 0;
          while (!line(MAX_HEADER_BYTES, 431, "trailer section").isEmpty()) {
            if (++trailers > MAX_HEADERS) {
              throw new Refusal(431, "more than " + MAX_HEADERS + " trailer fields");
            }
          }
          return body.toByteArray();
        }
        body.write(exactly((int) size));
        if (!line(2, 400, "chunk end").isEmpty()) {
          throw new Refusal(400, "chunk data longer than its size line says");
        }
      }
    }
  }
}
