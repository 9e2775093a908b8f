package io.vouch.infra.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Jetty handler: checks a request's head against the body limits, reads its body
 * asynchronously into a buffer that grows as bytes arrive (item 4), then runs the router on a pool
 * thread and writes its answer. No thread waits for a body: while bytes are missing the request
 * waits on {@code demand}, so slow bodies cannot take the pool (item 5).
 */
final class RouteHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(RouteHandler.class);
  private static final byte[] EMPTY = new byte[0];

  /** The first buffer of a body whose length is not declared (chunked). */
  private static final int FIRST_BUFFER = 4096;

  /**
   * A body refused from its declared length (413) up to this size is read and thrown away after the
   * answer, before the connection closes: a client that is still sending would otherwise get a
   * reset for the unread bytes, and a reset can destroy the answer before the client reads it (the
   * JDK's HttpClient then sees no answer at all). Nothing of it is kept, and the body deadline
   * still applies; a larger declared body is cut off at once.
   */
  static final long DRAIN_MAX_BYTES = 4L << 20;

  private final HttpRouter router;
  private final BodyLimit bodyLimit;
  private final long maxBodyBytes;
  private final BodyBudget budget;
  private final ErrorAnswer errors;

  RouteHandler(
      HttpRouter router,
      BodyLimit bodyLimit,
      long maxBodyBytes,
      BodyBudget budget,
      ErrorAnswer errors) {
    // the router may block: Jetty runs this handler (and the demand callbacks) on pool threads
    super(InvocationType.BLOCKING);
    this.router = router;
    this.bodyLimit = bodyLimit;
    this.maxBodyBytes = maxBodyBytes;
    this.budget = budget;
    this.errors = errors;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    GuardedEndPoint endPoint =
        request.getConnectionMetaData().getConnection().getEndPoint() instanceof GuardedEndPoint g
            ? g
            : null;
    if (endPoint != null && !endPoint.headReceived()) {
      // the head deadline has answered 408 and closed the connection meanwhile
      callback.failed(new TimeoutException("request head deadline"));
      return true;
    }
    new Exchange(request, response, callback, endPoint).start();
    return true;
  }

  /** One request: its body read, its route run, its answer written; completed exactly once. */
  private final class Exchange implements Runnable, Callback {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final GuardedEndPoint endPoint;
    private final AtomicBoolean completed = new AtomicBoolean();
    private String method;
    private String path;
    private long limit;
    private long declared;
    private byte[] body = EMPTY;
    private int size;
    private long reserved;

    Exchange(Request request, Response response, Callback callback, GuardedEndPoint endPoint) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.endPoint = endPoint;
    }

    void start() {
      HttpURI uri = request.getHttpURI();
      method = request.getMethod().equals("HEAD") ? "GET" : request.getMethod();
      path = uri.getDecodedPath();
      if (path == null || !path.startsWith("/")) {
        refuse(400, "malformed request target; send a path that starts with '/'");
        return;
      }
      HttpFields headers = request.getHeaders();
      String coding = headers.get(HttpHeader.TRANSFER_ENCODING);
      if (coding != null && !coding.equalsIgnoreCase("chunked")) {
        // Jetty refuses codings that do not end with chunked (400, RFC 9112 6.3); others are ours
        refuse(501, "transfer coding '" + coding + "' is not supported; use chunked alone");
        return;
      }
      limit =
          Math.min(
              maxBodyBytes,
              bodyLimit.maxBodyBytes(method, path, headers.get(HttpHeader.CONTENT_TYPE)));
      declared = request.getLength();
      if (declared > limit) {
        refuse(413, tooLarge(declared));
        return;
      }
      if (declared > budget.available()) {
        refuse(503, overBudget());
        return;
      }
      run();
    }

    /** Reads what has arrived; waits (holding no thread) for the rest. Also the demand callback. */
    @Override
    public void run() {
      try {
        while (true) {
          Content.Chunk chunk = request.read();
          if (chunk == null) {
            if (endPoint != null) {
              endPoint.awaitingBody();
            }
            request.demand(this);
            return;
          }
          if (Content.Chunk.isFailure(chunk)) {
            readFailed(chunk.getFailure());
            return;
          }
          boolean last = chunk.isLast();
          try {
            ByteBuffer b = chunk.getByteBuffer();
            int n = b.remaining();
            if (n > 0) {
              if (size + (long) n > limit) {
                refuse(413, tooLarge(size + (long) n));
                return;
              }
              if (!grow(size + n)) {
                refuse(503, overBudget());
                return;
              }
              b.get(body, size, n);
              size += n;
            }
          } finally {
            chunk.release();
          }
          if (last) {
            if (endPoint == null || endPoint.bodyReceived()) {
              answer();
            } else {
              complete(new TimeoutException("request body deadline"));
            }
            return;
          }
        }
      } catch (RuntimeException e) {
        complete(e);
      }
    }

    /** Room for {@code needed} bytes: the buffer at least doubles, within the declared length. */
    private boolean grow(int needed) {
      if (needed <= body.length) {
        return true;
      }
      long capacity = Math.max(needed, Math.max(FIRST_BUFFER, 2L * body.length));
      if (declared >= 0) {
        capacity = Math.min(capacity, declared);
      }
      capacity = Math.max(needed, Math.min(capacity, limit));
      long more = capacity - body.length;
      if (!budget.tryTake(more)) {
        return false;
      }
      reserved += more;
      body = Arrays.copyOf(body, (int) capacity);
      return true;
    }

    private void answer() {
      byte[] whole = size == body.length ? body : Arrays.copyOf(body, size);
      HttpRequest r =
          new HttpRequest(
              method,
              path,
              request.getHttpURI().getQuery(),
              headers(request.getHeaders()),
              whole,
              request.getConnectionMetaData().getRemoteSocketAddress()
                      instanceof InetSocketAddress a
                  ? a
                  : null);
      HttpResponse answer;
      try {
        answer = router.route(r);
        if (answer == null) {
          throw new IllegalStateException("the router answered nothing");
        }
      } catch (IOException | RuntimeException e) {
        LOG.error("internal error on {} {}", method, path, e);
        answer = errors.answer(500, "internal error: " + e);
      } catch (Error e) {
        complete(e);
        throw e;
      }
      if (answer.streamed()) {
        stream(answer);
      } else {
        write(answer, false);
      }
    }

    /**
     * A streamed answer: the head without Content-Length (Jetty sends the body chunked), then the
     * writer's bytes as it writes them, blocking this pool thread while the client does not read.
     */
    private void stream(HttpResponse answer) {
      response.setStatus(answer.status());
      HttpFields.Mutable h = response.getHeaders();
      answer.headers().forEach(h::put);
      OutputStream out = Content.Sink.asOutputStream(response);
      try {
        answer.stream().writeTo(out);
        out.close(); // the last chunk: only after the writer finished (not in a finally)
      } catch (IOException | RuntimeException e) {
        // committed: Jetty aborts the connection, the client sees no final chunk; not committed:
        // Jetty answers 500
        LOG.warn("streamed answer to {} {} failed: {}", method, path, e.toString());
        complete(e);
        return;
      }
      succeeded();
    }

    /**
     * Answers {@code status} and closes the connection: the rest of the body is not kept (a 413 for
     * a declared body of at most {@link #DRAIN_MAX_BYTES} reads it and throws it away first).
     */
    private void refuse(int status, String message) {
      boolean drain = status == 413 && declared >= 0 && declared <= DRAIN_MAX_BYTES;
      write(errors.answer(status, message), true, drain ? new Drain() : this);
    }

    private void write(HttpResponse answer, boolean close) {
      write(answer, close, this);
    }

    private void write(HttpResponse answer, boolean close, Callback written) {
      response.setStatus(answer.status());
      HttpFields.Mutable h = response.getHeaders();
      answer.headers().forEach(h::put);
      h.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
      if (close) {
        h.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
      }
      response.write(true, ByteBuffer.wrap(answer.body()), written);
    }

    /** After a 413 is written: reads the refused body and throws it away, then completes. */
    private final class Drain implements Callback, Runnable {
      private long drained;

      @Override
      public void succeeded() {
        run();
      }

      @Override
      public void failed(Throwable failure) {
        Exchange.this.failed(failure);
      }

      @Override
      public InvocationType getInvocationType() {
        return Exchange.this.getInvocationType();
      }

      @Override
      public void run() {
        try {
          while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
              if (endPoint != null) {
                endPoint.awaitingBody();
              }
              request.demand(this);
              return;
            }
            if (Content.Chunk.isFailure(chunk)) {
              Exchange.this.succeeded(); // the answer is out; the client stopped sending
              return;
            }
            boolean last = chunk.isLast();
            drained += chunk.remaining();
            chunk.release();
            if (last || drained > DRAIN_MAX_BYTES) {
              Exchange.this.succeeded();
              return;
            }
          }
        } catch (RuntimeException e) {
          complete(e);
        }
      }
    }

    private String tooLarge(long bytes) {
      String why = limit < maxBodyBytes ? bodyLimit.reason(method, path) : "";
      return "a request body of "
          + bytes
          + (declared < 0 ? " bytes or more" : " bytes")
          + " exceeds the "
          + limit
          + " bytes that "
          + method
          + " "
          + path
          + " accepts"
          + (why.isEmpty() ? "" : ": " + why);
    }

    private String overBudget() {
      return "the server holds "
          + budget.used()
          + " bytes of request bodies for all clients together, its limit is "
          + budget.capacity()
          + ", and this body does not fit; retry shortly";
    }

    /** A read failed: a body Jetty could not frame (its status), or the connection went away. */
    private void readFailed(Throwable failure) {
      if (failure instanceof TimeoutException && !response.isCommitted()) {
        // Jetty's idle timeout: no body byte for that long (the body deadline usually comes first)
        refuse(408, "the request body stopped arriving: " + failure.getMessage());
      } else if (failure instanceof HttpException h && !response.isCommitted()) {
        String reason = h.getReason();
        refuse(
            h.getCode(),
            HttpStatus.getMessage(h.getCode()) + (reason == null ? "" : ": " + reason));
      } else {
        // the connection is gone (closed by the client, or by a deadline): nothing to answer, and
        // nothing for Jetty to log above debug
        complete(failure instanceof QuietException ? failure : new EofException(failure));
      }
    }

    /** The answer could not be written (the client went away). */
    @Override
    public void failed(Throwable failure) {
      complete(failure);
    }

    /** The answer is written. */
    @Override
    public void succeeded() {
      if (finish()) {
        callback.succeeded();
      }
    }

    private void complete(Throwable failure) {
      if (finish()) {
        callback.failed(failure);
      }
    }

    @Override
    public InvocationType getInvocationType() {
      return callback.getInvocationType();
    }

    /** Gives back the body's share of the budget and marks the connection idle; once. */
    private boolean finish() {
      if (!completed.compareAndSet(false, true)) {
        return false;
      }
      budget.giveBack(reserved);
      reserved = 0;
      body = null;
      if (endPoint != null) {
        endPoint.requestDone();
      }
      return true;
    }
  }

  /** Header fields by lower-case name, repeated fields joined with ", ". */
  private static Map<String, String> headers(HttpFields fields) {
    Map<String, String> m = new LinkedHashMap<>();
    for (HttpField f : fields) {
      String v = f.getValue() == null ? "" : f.getValue();
      m.merge(f.getLowerCaseName(), v, (a, b) -> a + ", " + b);
    }
    return m;
  }
}
