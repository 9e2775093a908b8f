package io.vouch.infra.http;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Jetty's TCP connector with the connection-level defences of item 5: a cap on connections in total
 * and per client address (counted as {@link GuardedEndPoint}s open and close; one over a cap is
 * answered 503 and closed at once), and a sweeper that closes connections whose request head or
 * body is later than its deadline. {@code ServerConnector.newEndPoint} is Jetty's documented
 * extension point for the endpoint type; nothing here reaches into Jetty's internal packages.
 */
final class GuardedConnector extends ServerConnector {
  private final HttpLimits limits;
  private final ErrorAnswer errors;
  private final Set<GuardedEndPoint> endPoints = ConcurrentHashMap.newKeySet();
  private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final long sweepMillis;
  private volatile Scheduler.Task sweep;

  GuardedConnector(
      Server server,
      Executor executor,
      Scheduler scheduler,
      HttpLimits limits,
      ErrorAnswer errors,
      ConnectionFactory factory) {
    super(server, executor, scheduler, null, -1, -1, factory);
    this.limits = limits;
    this.errors = errors;
    // a deadline is enforced within a fifth of itself (at least every 50 ms, at most every second)
    long shortest = Math.min(limits.headDeadline().toMillis(), limits.bodyDeadline().toMillis());
    this.sweepMillis = Math.clamp(shortest / 5, 50, 1_000);
  }

  @Override
  protected SocketChannelEndPoint newEndPoint(
      SocketChannel channel, ManagedSelector selector, SelectionKey key) {
    GuardedEndPoint endPoint = new GuardedEndPoint(channel, selector, key, getScheduler(), this);
    endPoint.setIdleTimeout(getIdleTimeout());
    return endPoint;
  }

  @Override
  protected void doStart() throws Exception {
    super.doStart();
    sweep = getScheduler().schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() throws Exception {
    Scheduler.Task task = sweep;
    sweep = null;
    if (task != null) {
      task.cancel();
    }
    super.doStop();
  }

  private void sweep() {
    long now = System.nanoTime();
    long head = limits.headDeadline().toNanos();
    long body = limits.bodyDeadline().toNanos();
    for (GuardedEndPoint e : endPoints) {
      e.expireIfLate(now, head, body);
    }
    if (sweep != null && isRunning()) {
      sweep = getScheduler().schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Counts a new connection; null when it may stay, otherwise why it is refused ({@link #release}
   * undoes the count either way). One address beyond its cap is refused. When all connections are
   * taken, the newcomer takes the place of the connection that has waited longest for a request
   * head, else of the one idle longest between requests, else of the one waiting longest for body
   * bytes (each is late or unused: a request sent at once is never the one waiting longest, and a
   * client must expect an idle connection to close); only when every connection's route is running
   * is the newcomer refused. So slow or idle connections cannot keep a client from reaching {@code
   * /health}.
   */
  String admit(GuardedEndPoint endPoint) {
    endPoints.add(endPoint);
    int total = open.incrementAndGet();
    InetAddress a = endPoint.address();
    int fromAddress = a == null ? 0 : perAddress.merge(a, 1, Integer::sum);
    if (fromAddress > limits.maxConnectionsPerAddress()) {
      return "the server has "
          + limits.maxConnectionsPerAddress()
          + " connections open from "
          + a.getHostAddress()
          + ", its limit per client address; reuse a connection";
    }
    if (total > limits.maxConnections() && !evictOneFor(endPoint)) {
      return "the server has "
          + limits.maxConnections()
          + " connections open, its limit, each with a request being answered; retry shortly, or"
          + " reuse a connection";
    }
    return null;
  }

  /**
   * Closes the connection longest waiting for a head, else longest idle, else longest waiting for
   * body bytes; false if every connection's route is running.
   */
  private boolean evictOneFor(GuardedEndPoint newcomer) {
    // a victim that cannot be evicted has just moved on (its head or body came in: its route runs)
    // or closed, so the next scan finds another; bounded all the same
    for (int attempt = 0; attempt < limits.maxConnections(); attempt++) {
      GuardedEndPoint head = null;
      GuardedEndPoint idle = null;
      GuardedEndPoint body = null;
      for (GuardedEndPoint e : endPoints) {
        if (e == newcomer) {
          continue;
        }
        switch (e.stage()) {
          case HEAD -> head = older(head, e);
          case IDLE -> idle = older(idle, e);
          case BODY -> body = older(body, e);
          default -> {}
        }
      }
      GuardedEndPoint victim = head != null ? head : idle != null ? idle : body;
      if (victim == null) {
        return false;
      }
      if (victim.evict()) {
        return true;
      }
    }
    return false;
  }

  private static GuardedEndPoint older(GuardedEndPoint a, GuardedEndPoint b) {
    return a == null || b.sinceNanos() - a.sinceNanos() < 0 ? b : a;
  }

  void release(GuardedEndPoint endPoint) {
    if (!endPoints.remove(endPoint)) {
      return;
    }
    open.decrementAndGet();
    InetAddress a = endPoint.address();
    if (a != null) {
      perAddress.computeIfPresent(a, (k, n) -> n == 1 ? null : n - 1);
    }
  }

  int openConnections() {
    return open.get();
  }

  /** Closes the connections between requests; how many requests are still being handled. */
  int closeIdleConnections() {
    int busy = 0;
    for (GuardedEndPoint e : endPoints) {
      if (!e.closeIfIdle() && e.stage() != GuardedEndPoint.Stage.CLOSED) {
        busy++;
      }
    }
    return busy;
  }

  /**
   * A whole HTTP/1.1 answer that closes the connection, written straight to a socket where Jetty
   * has no request to answer through (a refused connection, a late head).
   */
  ByteBuffer rawAnswer(int status, String message) {
    HttpResponse a = errors.answer(status, message);
    StringBuilder h = new StringBuilder(256);
    h.append("HTTP/1.1 ")
        .append(a.status())
        .append(' ')
        .append(HttpStatus.getMessage(a.status()))
        .append("\r\nDate: ")
        .append(DateGenerator.formatDate(System.currentTimeMillis()))
        .append("\r\n");
    a.headers().forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
    h.append("Content-Length: ").append(a.body().length).append("\r\nConnection: close\r\n\r\n");
    byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    return ByteBuffer.allocate(head.length + a.body().length).put(head).put(a.body()).flip();
  }
}
