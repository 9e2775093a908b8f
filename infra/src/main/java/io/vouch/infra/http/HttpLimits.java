package io.vouch.infra.http;

import java.time.Duration;

/**
 * What protects a server from large, slow or numerous clients (issue 9, items 4 and 5).
 *
 * @param maxBodyBytes the largest body any route accepts (a {@link BodyLimit} may lower it per
 *     route)
 * @param bodyBudgetBytes what the bodies being received on all connections together may hold; a
 *     request whose body does not fit in what is left is refused with 503
 * @param maxConnections connections open at once; a new one beyond it takes the place of the
 *     connection that has waited longest for a request head (answered 408), else of the one idle
 *     longest between requests (closed), else of the one waiting longest for body bytes (408), and
 *     is answered 503 and closed only when every connection's route is running
 * @param maxConnectionsPerAddress connections open at once from one client address; more are
 *     answered 503 and closed
 * @param headDeadline how long a request head may take in total, from its first byte (for the first
 *     request of a connection: from the connection's opening); a connection that has not sent a
 *     whole head by then is answered 408 and closed
 * @param bodyDeadline how long a request body may take in total once the head is in
 * @param idleTimeout how long a kept-alive connection may sit idle between requests (and how long a
 *     write may make no progress)
 * @param maxHeadBytes the largest request head (request line and header fields); beyond it 414 (in
 *     the request line) or 431
 */
public record HttpLimits(
    long maxBodyBytes,
    long bodyBudgetBytes,
    int maxConnections,
    int maxConnectionsPerAddress,
    Duration headDeadline,
    Duration bodyDeadline,
    Duration idleTimeout,
    int maxHeadBytes) {

  public HttpLimits {
    if (maxBodyBytes <= 0 || bodyBudgetBytes <= 0 || maxHeadBytes <= 0) {
      throw new IllegalArgumentException("body and head limits must be positive");
    }
    if (maxConnections <= 0 || maxConnectionsPerAddress <= 0) {
      throw new IllegalArgumentException("connection limits must be positive");
    }
    for (Duration d : new Duration[] {headDeadline, bodyDeadline, idleTimeout}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("deadlines and timeouts must be positive, got " + d);
      }
    }
  }

  /**
   * 32 MiB bodies, a quarter of the heap for all bodies together, 512 connections and 64 per
   * address, 10 s for a head, 30 s for a body, 60 s idle, 64 KiB heads.
   */
  public static HttpLimits defaults() {
    return new HttpLimits(
        32L << 20,
        Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 4),
        512,
        64,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        64 * 1024);
  }

  public HttpLimits withMaxBodyBytes(long bytes) {
    return new HttpLimits(
        bytes,
        bodyBudgetBytes,
        maxConnections,
        maxConnectionsPerAddress,
        headDeadline,
        bodyDeadline,
        idleTimeout,
        maxHeadBytes);
  }

  public HttpLimits withBodyBudgetBytes(long bytes) {
    return new HttpLimits(
        maxBodyBytes,
        bytes,
        maxConnections,
        maxConnectionsPerAddress,
        headDeadline,
        bodyDeadline,
        idleTimeout,
        maxHeadBytes);
  }

  public HttpLimits withConnections(int total, int perAddress) {
    return new HttpLimits(
        maxBodyBytes,
        bodyBudgetBytes,
        total,
        perAddress,
        headDeadline,
        bodyDeadline,
        idleTimeout,
        maxHeadBytes);
  }

  public HttpLimits withDeadlines(Duration head, Duration body) {
    return new HttpLimits(
        maxBodyBytes,
        bodyBudgetBytes,
        maxConnections,
        maxConnectionsPerAddress,
        head,
        body,
        idleTimeout,
        maxHeadBytes);
  }

  public HttpLimits withIdleTimeout(Duration idle) {
    return new HttpLimits(
        maxBodyBytes,
        bodyBudgetBytes,
        maxConnections,
        maxConnectionsPerAddress,
        headDeadline,
        bodyDeadline,
        idle,
        maxHeadBytes);
  }
}
