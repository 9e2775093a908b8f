package io.vouch.infra.service;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A long-lived component moved through IDLE → RUNNING → STOPPED (Teku's pattern). A service starts
 * once: a second {@link #start()} is an error, whatever the state, so that a component is never
 * started by two owners. Stop is idempotent; a service that failed to start is STOPPED; stopping an
 * IDLE service moves it to STOPPED without running {@link #doStop()}.
 */
public abstract class Service implements AutoCloseable {
  public enum State {
    IDLE,
    RUNNING,
    STOPPED
  }

  private final AtomicReference<State> state = new AtomicReference<>(State.IDLE);

  /**
   * Runs {@link #doStart()}.
   *
   * @throws IllegalStateException when this service was started (or stopped) before
   */
  public final void start() throws Exception {
    State was = state.compareAndExchange(State.IDLE, State.RUNNING);
    if (was != State.IDLE) {
      throw new IllegalStateException(
          name()
              + " cannot start: it is "
              + was.name().toLowerCase(java.util.Locale.ROOT)
              + " and a service starts once (start it from one place: its controller)");
    }
    try {
      doStart();
    } catch (Exception | Error e) {
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
