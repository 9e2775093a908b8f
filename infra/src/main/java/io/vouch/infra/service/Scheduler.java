package io.vouch.infra.service;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one scheduler a process's services share, instead of an executor each. A timer thread only
 * keeps time; each run of a task goes to a worker thread (a cached pool of daemon platform threads,
 * named after the task while it runs), so a task that blocks on the network or on inference delays
 * no other. A repeating task never overlaps itself: its next run is timed from the end of the
 * previous one (fixed delay). A run that throws is logged and the task keeps repeating.
 *
 * <p>It is a {@link Service}: put it first in a {@link ServiceController} so that it starts before
 * the services that schedule on it and stops after them.
 */
public final class Scheduler extends Service {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

  /** How long {@link Repeating#cancel} waits for a run in progress to end. */
  static final Duration CANCEL_WAIT = Duration.ofSeconds(10);

  private final String name;
  private volatile ScheduledExecutorService timer;
  private volatile ExecutorService workers;

  /** A scheduler whose threads are named {@code name-timer} and {@code name-worker-N}. */
  public Scheduler(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return "scheduler " + name;
  }

  @Override
  protected void doStart() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name(name + "-timer").unstarted(r));
    AtomicInteger n = new AtomicInteger();
    workers =
        Executors.newCachedThreadPool(r ->
            Thread.ofPlatform()
                .daemon()
                .name(name + "-worker-" + n.incrementAndGet())
                .unstarted(r));
  }

  @Override
  protected void doStop() {
    timer.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs {@code task} after {@code initialDelay}, then again {@code delay} after each run ends,
   * until the returned handle is cancelled or this scheduler stops.
   *
   * @param taskName the worker thread's name while the task runs, and the name in log lines
   * @throws IllegalStateException when this scheduler is not running
   */
  public Repeating repeat(String taskName, Duration initialDelay, Duration delay, Runnable task) {
    if (state() != State.RUNNING) {
      throw new IllegalStateException(
          "cannot schedule '"
              + taskName
              + "': "
              + name()
              + " is not running; start it before the services that use it");
    }
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException(
          "the delay between runs of '" + taskName + "' must be positive, not " + delay);
    }
    RepeatingTask t = new RepeatingTask(taskName, delay, task);
    synchronized (t.lock) {
      // under the lock: a first run due at once can end and schedule the next one before the
      // timer's future for this one is stored; it must not overwrite that next one
      t.schedule(initialDelay);
    }
    return t;
  }

  /** A repeating task's handle. */
  public interface Repeating {
    /**
     * Stops future runs and waits (up to 10 s) for a run in progress to end; with {@code
     * interrupt}, that run is interrupted first. Called from the task itself, it does not wait.
     */
    void cancel(boolean interrupt);

    /**
     * Runs the task as soon as possible: at once when it is waiting, else right after the run in
     * progress (never alongside it); the delay to the following run counts from there.
     */
    void runNow();
  }

  private final class RepeatingTask implements Repeating {
    private final String taskName;
    private final Duration delay;
    private final Runnable body;
    private final Object lock = new Object();
    private boolean cancelled;
    private boolean running;
    private boolean again;
    private Thread runner;
    private ScheduledFuture<?> next;

    RepeatingTask(String taskName, Duration delay, Runnable body) {
      this.taskName = taskName;
      this.delay = delay;
      this.body = body;
    }

    /** Called with the lock held. */
    private void schedule(Duration after) {
      try {
        next = timer.schedule(this::fire, Math.max(0, after.toNanos()), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        cancelled = true; // the scheduler stopped
      }
    }

    /** On the timer thread: hands the run to a worker. */
    private void fire() {
      synchronized (lock) {
        if (cancelled) {
          return;
        }
        running = true;
      }
      try {
        workers.execute(this::runOnce);
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        synchronized (lock) {
          cancelled = true;
          running = false;
          lock.notifyAll();
        }
      }
    }

    private void runOnce() {
      Thread self = Thread.currentThread();
      String workerName = self.getName();
      boolean skip;
      synchronized (lock) {
        skip = cancelled;
        runner = self;
      }
      self.setName(taskName);
      try {
        if (!skip) {
          body.run();
        }
      } catch (RuntimeException e) {
        LOG.warn("{} failed, runs again in {} ms: {}", taskName, delay.toMillis(), e.toString());
      } finally {
        self.setName(workerName);
        synchronized (lock) {
          runner = null;
          running = false;
          Thread.interrupted(); // an interrupt meant for this run must not reach the next task
          if (!cancelled) {
            schedule(again ? Duration.ZERO : delay);
            again = false;
          }
          lock.notifyAll();
        }
      }
    }

    @Override
    public void runNow() {
      synchronized (lock) {
        if (cancelled) {
          return;
        }
        if (running) {
          again = true;
          return;
        }
        if (next != null && next.cancel(false)) {
          schedule(Duration.ZERO);
        }
      }
    }

    @Override
    public void cancel(boolean interrupt) {
      synchronized (lock) {
        cancelled = true;
        if (next != null) {
          next.cancel(false);
        }
        if (runner == Thread.currentThread()) {
          return;
        }
        if (interrupt && runner != null) {
          runner.interrupt();
        }
        long deadline = System.nanoTime() + CANCEL_WAIT.toNanos();
        while (running) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            LOG.warn(
                "{} still running {} s after it was cancelled", taskName, CANCEL_WAIT.toSeconds());
            return;
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(lock, left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }
}
