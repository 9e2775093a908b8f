package io.vouch.zk.exec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Two-way parallelism at the grain of a proof's steps (a few to a few hundred microseconds each).
 *
 * <p>A thread pool hands work over by parking and unparking threads, which costs tens of
 * microseconds on Linux: as much as the work itself here. So one daemon helper thread spins for
 * work while proofs are running and parks after {@link #SPIN_NANOS} without any; the caller
 * publishes one task into a single slot, does its own half, and then either finds the helper done
 * or, if the helper has not picked the task up yet (busy elsewhere, parked, or on a one-core
 * machine), takes it back and runs it itself. Nothing ever waits for a thread that has not started
 * the work, so nested and concurrent use cannot deadlock; when the helper is busy everything simply
 * runs on the calling thread. {@code -Dvouch.zk.helper=false} turns the helper off (one-core
 * proving, or a host whose other cores are better spent on other requests).
 *
 * <p>Results are deterministic: callers split work into fixed halves whose results they combine in
 * a fixed order, whichever thread ran them.
 */
public final class Parallel {
  /** {@code -Dvouch.zk.helper=false} runs everything on the calling thread. */
  public static final String HELPER_PROPERTY = "vouch.zk.helper";

  /** How long the helper keeps spinning after its last task before it parks. */
  static final long SPIN_NANOS = 200_000;

  private static final int PENDING = 0, TAKEN = 1, DONE = 2;

  private static final VarHandle STATE;
  private static final VarHandle SLOT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(Task.class, "state", int.class);
      SLOT = lookup.findStaticVarHandle(Parallel.class, "slot", Task.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through SLOT
  private static volatile Task slot;

  private static volatile boolean helperParked;
  private static final Thread HELPER = startHelper();

  private Parallel() {}

  /**
   * Runs {@code a} on this thread and {@code b} on the helper if it is free; returns when both are
   * done.
   */
  public static void both(Runnable a, Runnable b) {
    Task task = offer(b);
    Throwable failure = null;
    try {
      a.run();
    } catch (Throwable e) {
      failure = e;
    }
    try {
      if (task == null) {
        b.run();
      } else {
        task.await();
      }
    } catch (Throwable e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throwUnchecked(failure);
    }
  }

  /**
   * Starts {@code work} on the helper if it is free; {@link Forked#join} returns its result,
   * running it on the joining thread if the helper never picked it up.
   */
  public static <T> Forked<T> fork(Supplier<T> work) {
    var holder = new Object[1];
    Runnable run = () -> holder[0] = work.get();
    Task task = offer(run);
    return new Forked<>(task, run, holder);
  }

  /** A computation started by {@link #fork}. */
  public static final class Forked<T> {
    private final Task task;
    private final Runnable run;
    private final Object[] holder;
    private boolean joined;

    private Forked(Task task, Runnable run, Object[] holder) {
      this.task = task;
      this.run = run;
      this.holder = holder;
    }

    @SuppressWarnings("unchecked")
    public T join() {
      if (!joined) {
        joined = true;
        if (task == null) {
          run.run();
        } else {
          task.await();
        }
      }
      return (T) holder[0];
    }
  }

  /** Whether a helper thread exists (false on a one-core machine: everything runs inline). */
  public static boolean hasHelper() {
    return HELPER != null;
  }

  /** Threads a proof runs on: the caller, plus the helper if there is one. */
  public static int threads() {
    return HELPER == null ? 1 : 2;
  }

  private static Task offer(Runnable r) {
    if (HELPER == null) {
      return null;
    }
    Task task = new Task(r);
    if (!SLOT.compareAndSet((Task) null, task)) {
      return null; // helper busy with another task: the caller runs it
    }
    if (helperParked) {
      LockSupport.unpark(HELPER);
    }
    return task;
  }

  private static final class Task {
    final Runnable work;
    volatile int state = PENDING;
    volatile Throwable error;

    Task(Runnable work) {
      this.work = work;
    }

    /** Waits for the helper, or takes the task back and runs it here if it was not started. */
    void await() {
      if (STATE.compareAndSet(this, PENDING, TAKEN)) {
        SLOT.compareAndSet(this, (Task) null);
        work.run();
        state = DONE;
        return;
      }
      for (int spins = 0; state != DONE; spins++) {
        if ((spins & 1023) == 1023) {
          Thread.yield(); // an oversubscribed machine may have descheduled the helper
        } else {
          Thread.onSpinWait();
        }
      }
      Throwable e = error;
      if (e != null) {
        throwUnchecked(e);
      }
    }
  }

  private static Thread startHelper() {
    if (Runtime.getRuntime().availableProcessors() < 2
        || "false".equals(System.getProperty(HELPER_PROPERTY))) {
      return null;
    }
    Thread t = new Thread(Parallel::helperLoop, "vouch-zk-helper");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void helperLoop() {
    long idleSince = System.nanoTime();
    while (true) {
      Task task = (Task) SLOT.getVolatile();
      if (task != null) {
        SLOT.compareAndSet(task, (Task) null);
        if (STATE.compareAndSet(task, PENDING, TAKEN)) {
          try {
            task.work.run();
          } catch (Throwable e) {
            task.error = e;
          }
          task.state = DONE;
        }
        idleSince = System.nanoTime();
        continue;
      }
      if (System.nanoTime() - idleSince < SPIN_NANOS) {
        Thread.onSpinWait();
        continue;
      }
      helperParked = true;
      if (SLOT.getVolatile() == null) {
        LockSupport.park(Parallel.class);
      }
      helperParked = false;
      idleSince = System.nanoTime();
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void throwUnchecked(Throwable e) throws E {
    throw (E) e;
  }
}
