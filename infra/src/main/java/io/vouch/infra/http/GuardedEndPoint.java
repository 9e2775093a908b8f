package io.vouch.infra.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A connection's socket with the state the deadlines need (item 5). Jetty has no public hook that
 * runs before a request head is parsed, and its idle timeout restarts with every byte; so this
 * endpoint notes when a head's first byte is read ({@link #fill}), the route handler notes when the
 * head is in, when it starts to wait for body bytes and when the request is done, and {@link
 * GuardedConnector}'s sweeper closes a connection whose head or body is late.
 *
 * <p>The state is one immutable {@link State} swapped atomically, so that the sweeper and the
 * connection's own thread agree on who acts: a sweeper that expired the connection answers it (408)
 * and closes it; a handler that finds it expired answers nothing.
 */
final class GuardedEndPoint extends SocketChannelEndPoint {
  enum Stage {
    /** Between requests on a kept-alive connection: only the idle timeout applies. */
    IDLE,
    /** A head is arriving (or, on a new connection, awaited): the head deadline applies. */
    HEAD,
    /** The head is in; the route runs or the body is read as fast as it comes. */
    HANDLING,
    /** The handler waits for body bytes: the body deadline applies. */
    BODY,
    /** Refused, or answered 408 by the sweeper, and closed. */
    CLOSED
  }

  record State(Stage stage, long sinceNanos) {}

  private static final State HANDLING = new State(Stage.HANDLING, 0);
  private static final State CLOSED = new State(Stage.CLOSED, 0);

  private final GuardedConnector connector;
  private final InetAddress address;
  // the first request's head deadline counts from the connection's opening
  private final AtomicReference<State> state =
      new AtomicReference<>(new State(Stage.HEAD, System.nanoTime()));

  GuardedEndPoint(
      SocketChannel channel,
      ManagedSelector selector,
      SelectionKey key,
      Scheduler scheduler,
      GuardedConnector connector) {
    super(channel, selector, key, scheduler);
    this.connector = connector;
    this.address = getRemoteSocketAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
  }

  /** The client's address, or null when the socket no longer knows it. */
  InetAddress address() {
    return address;
  }

  Stage stage() {
    return state.get().stage();
  }

  @Override
  public void onOpen() {
    super.onOpen();
    String refusal = connector.admit(this);
    if (refusal != null) {
      state.set(CLOSED);
      // a refused connection no longer counts (else, until it is closed, it would push a later
      // one from its address over the cap)
      connector.release(this);
      answerAndClose(connector.rawAnswer(503, refusal));
    }
  }

  @Override
  public void onClose(Throwable cause) {
    try {
      super.onClose(cause);
    } finally {
      connector.release(this);
    }
  }

  @Override
  public int fill(ByteBuffer buffer) throws IOException {
    int n = super.fill(buffer);
    if (n > 0) {
      State s = state.get();
      if (s.stage() == Stage.IDLE) {
        state.compareAndSet(s, new State(Stage.HEAD, System.nanoTime()));
      }
    }
    return n;
  }

  /** When the connection entered its stage (HEAD: the head's first byte; IDLE: the last answer). */
  long sinceNanos() {
    return state.get().sinceNanos();
  }

  /** The handler has the request's head; false when the head deadline has closed the connection. */
  boolean headReceived() {
    while (true) {
      State s = state.get();
      if (s == CLOSED) {
        return false;
      }
      if (state.compareAndSet(s, HANDLING)) {
        return true;
      }
    }
  }

  /** The handler waits for body bytes; the body deadline runs from the first such wait. */
  void awaitingBody() {
    if (state.get() == HANDLING) {
      state.compareAndSet(HANDLING, new State(Stage.BODY, System.nanoTime()));
    }
  }

  /** The whole body is in; false when the body deadline has closed the connection. */
  boolean bodyReceived() {
    while (true) {
      State s = state.get();
      if (s == CLOSED) {
        return false;
      }
      if (s.stage() != Stage.BODY || state.compareAndSet(s, HANDLING)) {
        return true;
      }
    }
  }

  /** The answer is written (or the request failed): the connection is idle until its next head. */
  void requestDone() {
    State s = state.get();
    if (s != CLOSED) {
      state.compareAndSet(s, new State(Stage.IDLE, System.nanoTime()));
    }
  }

  /**
   * Answers 408 and closes the connection when its head or body is later than its deadline; called
   * by the sweeper.
   */
  void expireIfLate(long nowNanos, long headNanos, long bodyNanos) {
    State s = state.get();
    long allowed =
        switch (s.stage()) {
          case HEAD -> headNanos;
          case BODY -> bodyNanos;
          default -> -1;
        };
    if (allowed < 0 || nowNanos - s.sinceNanos() < allowed || !state.compareAndSet(s, CLOSED)) {
      return;
    }
    answerAndClose(
        connector.rawAnswer(
            408,
            (s.stage() == Stage.HEAD ? "the request head" : "the request body")
                + " did not arrive within "
                + Math.round(allowed / 1e9)
                + " s; send a request at once and whole"));
  }

  /**
   * Makes room for a new connection when all are taken: a connection still waiting for a whole head
   * or body is answered 408 and closed; one idle between requests is closed (as an idle timeout
   * would). False when its route is running or it was closed meanwhile.
   */
  boolean evict() {
    State s = state.get();
    boolean waiting = s.stage() == Stage.HEAD || s.stage() == Stage.BODY;
    if (waiting && state.compareAndSet(s, CLOSED)) {
      answerAndClose(
          connector.rawAnswer(
              408,
              (s.stage() == Stage.HEAD ? "the request head" : "the request body")
                  + " had not arrived when the server needed the connection for another client;"
                  + " send a request at once and whole"));
      return true;
    }
    if (s.stage() == Stage.IDLE && state.compareAndSet(s, CLOSED)) {
      close();
      return true;
    }
    return false;
  }

  /** Closes the connection if no request is being handled; true when it did. */
  boolean closeIfIdle() {
    State s = state.get();
    if ((s.stage() == Stage.IDLE || s.stage() == Stage.HEAD) && state.compareAndSet(s, CLOSED)) {
      close();
      return true;
    }
    return false;
  }

  /**
   * One non-blocking write of a small answer, then close. Reads what the client already sent first,
   * so that the close is a FIN rather than a reset that could destroy the answer in flight.
   */
  private void answerAndClose(ByteBuffer answer) {
    try {
      flush(answer);
      ByteBuffer sink = ByteBuffer.allocate(4096);
      for (int i = 0; i < 16 && getChannel().read(sink) > 0; i++) {
        sink.clear();
      }
    } catch (IOException e) {
      // the client is gone already: closing is all that is left
    }
    close();
  }
}
