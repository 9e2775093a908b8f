package io.vouch.bench.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The attacking sockets of one scenario: one thread opens them one after another (plain blocking
 * {@link Socket}s, a 2 s connect timeout each, no more after the deadline), then writes each one's
 * trickle byte in turn, spread evenly over the trickle interval, until {@link #census()}.
 */
final class AttackConnections implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

  /** How the attacking connections stood at the end of the scenario. */
  record Census(
      int attempted,
      int opened,
      int failedToOpen,
      int held,
      int closedByNode,
      Map<Integer, Integer> answeredWithStatus) {}

  private final Attack attack;
  private final InetSocketAddress node;
  private final List<InetAddress> sources;
  private final long deadlineNanos;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger failedToOpen = new AtomicInteger();
  private final Thread worker;
  private volatile boolean stopping;

  private AttackConnections(
      Attack attack, InetSocketAddress node, List<InetAddress> sources, long deadlineNanos) {
    this.attack = attack;
    this.node = node;
    this.sources = List.copyOf(sources);
    this.deadlineNanos = deadlineNanos;
    this.worker = Thread.ofPlatform().name("attack-" + attack.name()).unstarted(this::work);
  }

  /**
   * Starts opening {@code attack.connections()} connections to {@code node}, from {@code sources}
   * in turn (none: the system's choice).
   */
  static AttackConnections start(
      Attack attack, InetSocketAddress node, List<InetAddress> sources, long deadlineNanos) {
    AttackConnections a = new AttackConnections(attack, node, sources, deadlineNanos);
    a.worker.start();
    return a;
  }

  private void work() {
    byte[] opening = attack.opening(node.getHostString() + ":" + node.getPort());
    for (int i = 0; i < attack.connections() && !stopping; i++) {
      if (System.nanoTime() - deadlineNanos >= 0) {
        failedToOpen.addAndGet(attack.connections() - i);
        break;
      }
      Socket s = new Socket();
      try {
        if (!sources.isEmpty()) {
          s.bind(new InetSocketAddress(sources.get(i % sources.size()), 0));
        }
        s.connect(node, CONNECT_TIMEOUT_MILLIS);
        if (opening.length > 0) {
          s.getOutputStream().write(opening);
        }
        sockets.add(s);
      } catch (IOException e) {
        failedToOpen.incrementAndGet();
        closeQuietly(s);
      }
    }
    if (attack.trickleMillis() <= 0) {
      return;
    }
    List<Socket> live = new ArrayList<>(sockets);
    byte[] one = {attack.trickleByte()};
    while (!stopping && !live.isEmpty()) {
      long gap = TimeUnit.MILLISECONDS.toNanos(attack.trickleMillis()) / live.size();
      for (int i = 0; i < live.size() && !stopping; ) {
        LockSupport.parkNanos(gap);
        try {
          live.get(i).getOutputStream().write(one);
          i++;
        } catch (IOException e) {
          live.remove(i); // closed or reset by the node: counted in the census
        }
      }
    }
  }

  /**
   * Stops trickling and looks at every opened connection without blocking for long: still open with
   * nothing received (held), closed or reset by the node, or answered (the status of the node's
   * answer, say a 503 refusal, read from its first bytes).
   */
  Census census() throws InterruptedException {
    stopping = true;
    worker.interrupt();
    worker.join();
    int held = 0;
    int closed = 0;
    Map<Integer, Integer> answered = new TreeMap<>();
    byte[] buf = new byte[64];
    for (Socket s : sockets) {
      try {
        s.setSoTimeout(1);
        InputStream in = s.getInputStream();
        int n = in.read(buf);
        if (n < 0) {
          closed++;
        } else {
          answered.merge(
              statusOf(new String(buf, 0, n, StandardCharsets.ISO_8859_1)), 1, Integer::sum);
        }
      } catch (SocketTimeoutException e) {
        held++;
      } catch (IOException e) {
        closed++;
      }
    }
    return new Census(
        attack.connections(), sockets.size(), failedToOpen.get(), held, closed, answered);
  }

  /** The status code of an HTTP/1.x status line's start, or 0 when it is not one. */
  static int statusOf(String start) {
    if (start.startsWith("HTTP/1.") && start.length() >= 12) {
      try {
        return Integer.parseInt(start.substring(9, 12));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  @Override
  public void close() {
    stopping = true;
    worker.interrupt();
    sockets.forEach(AttackConnections::closeQuietly);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing a socket we own: nothing to do
    }
  }
}
