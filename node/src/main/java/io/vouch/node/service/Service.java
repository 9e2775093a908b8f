package io.vouch.node.service;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A long-lived component moved through IDLE → RUNNING → STOPPED. Start and stop are idempotent; a
 * service that failed to start is STOPPED.
 */
public abstract class Service implements AutoCloseable {
  public enum State {
    IDLE,
    RUNNING,
    STOPPED
  }

  private final AtomicReference<State> state = new AtomicReference<>(State.IDLE);

  public final void start() throws Exception {
    if (!state.compareAndSet(State.IDLE, State.RUNNING)) {
      return;
    }
    try {
      doStart();
    } catch (Exception e) {
      state.set(State.STOPPED);
      throw e;
    }
  }

  public final void stop() {
    if (state.getAndSet(State.STOPPED) == State.RUNNING) {
      doStop();
    }
  }

  @Override
  public final void close() {
    stop();
  }

  public final State state() {
    return state.get();
  }

  public String name() {
    return getClass().getSimpleName();
  }

  protected abstract void doStart() throws Exception;

  protected abstract void doStop();
}
