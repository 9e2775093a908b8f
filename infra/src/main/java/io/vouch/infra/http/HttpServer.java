package io.vouch.infra.http;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 server for Vouch's services: Jetty 12 core (no servlets) behind a small API of our
 * own: a {@link HttpRouter} from {@link HttpRequest} to {@link HttpResponse}, {@link HttpLimits}, a
 * per-route {@link BodyLimit} and the caller's {@link ErrorAnswer} format.
 *
 * <p>What it adds to Jetty (issue 9; bench/README.md, "HTTP server comparison"):
 *
 * <ul>
 *   <li>Framing: Jetty's parser in {@link HttpCompliance#STRICT} (RFC 9112 without the leniencies
 *       the default allows: no bare LF ending a line, chunk sizes of hex digits only), Host
 *       required for HTTP/1.1, transfer codings other than chunked refused (501).
 *   <li>Memory: bodies read asynchronously into buffers that grow as bytes arrive; one byte budget
 *       for all bodies in flight (503 beyond it); a declared length over the route's limit refused
 *       (413) before any body byte is read.
 *   <li>Slow and numerous clients: a total deadline for a request head and for a body (408, then
 *       close), connections capped in total and per client address (503, then close), and no thread
 *       held while a body trickles in.
 * </ul>
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  private final Server server;
  private final GuardedConnector connector;
  private final BodyBudget budget;

  private HttpServer(Server server, GuardedConnector connector, BodyBudget budget) {
    this.server = server;
    this.connector = connector;
    this.budget = budget;
  }

  /** A server that will answer with {@code router}; {@link Builder#start()} binds it. */
  public static Builder builder(HttpRouter router) {
    return new Builder(router);
  }

  /** Where to listen and what to allow; defaults: 127.0.0.1, a free port, {@link HttpLimits}. */
  public static final class Builder {
    private final HttpRouter router;
    private String host = "127.0.0.1";
    private int port;
    private int backlog = 256;
    private HttpLimits limits = HttpLimits.defaults();
    private BodyLimit bodyLimit = BodyLimit.none();
    private ErrorAnswer errors = ErrorAnswer.json();
    private String name = "http";
    private int maxThreads = 200;

    private Builder(HttpRouter router) {
      this.router = router;
    }

    /** The interface and port to listen on (0 picks a free port). */
    public Builder bind(String host, int port) {
      this.host = host;
      this.port = port;
      return this;
    }

    /** Connections the kernel may queue before they are accepted. */
    public Builder backlog(int backlog) {
      this.backlog = backlog;
      return this;
    }

    public Builder limits(HttpLimits limits) {
      this.limits = limits;
      return this;
    }

    /** The body limit per route, under {@link HttpLimits#maxBodyBytes()}. */
    public Builder bodyLimit(BodyLimit bodyLimit) {
      this.bodyLimit = bodyLimit;
      return this;
    }

    /** The format of the answers the server gives itself. */
    public Builder errors(ErrorAnswer errors) {
      this.errors = errors;
      return this;
    }

    /**
     * Threads that run routes (and Jetty's selector and acceptor): requests whose bodies are in
     * wait for one when all are busy. Default 200.
     */
    public Builder maxThreads(int maxThreads) {
      this.maxThreads = maxThreads;
      return this;
    }

    /** Names the server's threads ({@code <name>-<n>}). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Binds and starts accepting connections. */
    public HttpServer start() throws IOException {
      if (limits.maxBodyBytes() > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "maxBodyBytes " + limits.maxBodyBytes() + " exceeds what one array holds");
      }
      QueuedThreadPool threads = new QueuedThreadPool(maxThreads);
      threads.setName(name);
      threads.setDaemon(true);
      ScheduledExecutorScheduler scheduler =
          new ScheduledExecutorScheduler(name + "-scheduler", true);
      Server server = new Server(threads);
      server.addBean(scheduler);

      HttpConfiguration config = new HttpConfiguration();
      // RFC9110, Jetty's default, still accepts a bare LF ending a head line (issue 9.7)
      config.setHttpCompliance(HttpCompliance.STRICT);
      config.setRequestHeaderSize(limits.maxHeadBytes());
      config.setSendServerVersion(false);
      config.setSendXPoweredBy(false);
      // the handler runs as soon as the head is in: it refuses an oversized declared length before
      // a body byte is read, and the body deadline starts there
      config.setDelayDispatchUntilContent(false);

      GuardedConnector connector =
          new GuardedConnector(
              server, threads, scheduler, limits, errors, new HttpConnectionFactory(config));
      connector.setHost(host);
      connector.setPort(port);
      connector.setAcceptQueueSize(backlog);
      connector.setReuseAddress(true);
      connector.setAcceptedTcpNoDelay(true);
      connector.setIdleTimeout(limits.idleTimeout().toMillis());
      server.addConnector(connector);

      BodyBudget budget = new BodyBudget(limits.bodyBudgetBytes());
      server.setErrorHandler(new JsonErrorHandler(errors));
      server.setHandler(new RouteHandler(router, bodyLimit, limits.maxBodyBytes(), budget, errors));
      try {
        server.start();
      } catch (Exception e) {
        try {
          server.stop();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
        throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
      }
      return new HttpServer(server, connector, budget);
    }
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** Connections admitted and open now (a refused one is not counted). */
  public int openConnections() {
    return connector.openConnections();
  }

  /** Bytes the request bodies being received hold now, against the budget. */
  public long bodyBytesBuffered() {
    return budget.used();
  }

  /**
   * Stops accepting, closes the connections between requests at once, lets requests in progress
   * finish for up to {@code grace}, then closes what is left.
   */
  public void stop(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    connector.setAccepting(false);
    try {
      while (connector.closeIdleConnections() > 0 && System.nanoTime() - deadline < 0) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("stopping the HTTP server on port {}: {}", port(), e.toString());
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(1));
  }
}
