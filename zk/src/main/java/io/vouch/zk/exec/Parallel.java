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
 * <p>Large steps are cut into small chunks that the caller and the helper pull from one counter
 * ({@link #forRange}): whoever is free takes the next chunk, so a helper that the operating system
 * deschedules holds the caller for at most the chunk it is running, not for a fixed half of the
 * work. Results are deterministic: chunks write disjoint ranges, or each participant sums into its
 * own accumulator with exact field additions, which the caller adds afterwards; which thread ran
 * which chunk never changes a result.
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

  /** Per thread: whether {@link #onThisThread} is running (then nothing is offered). */
  private static final ThreadLocal<boolean[]> INLINE =
      ThreadLocal.withInitial(() -> new boolean[1]);

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

  /**
   * One chunk of a range: items [from, to), run by participant 0 (the caller) or 1 (the helper).
   */
  @FunctionalInterface
  public interface Range {
    void run(int from, int to, int participant);
  }

  /**
   * Runs {@code work} over items [0, n) in chunks of at most {@code grain} items (and at least 8
   * chunks when n allows), pulled from one counter by this thread (participant 0) and, if it is
   * free, the helper (participant 1); returns when every chunk has run. The work must give the same
   * result whichever participant runs which chunk: write disjoint ranges, or accumulate exact sums
   * per participant.
   */
  public static void forRange(int n, int grain, Range work) {
    if (n <= 0) {
      return;
    }
    int size = Math.max(1, Math.min(grain, (n + 7) / 8));
    int count = (n + size - 1) / size;
    if (count == 1 || HELPER == null || INLINE.get()[0]) {
      work.run(0, n, 0);
      return;
    }
    Chunks chunks =
        new Chunks(
            count,
            (chunk, participant) -> {
              work.run(chunk * size, Math.min(n, (chunk + 1) * size), participant);
              if (participant == 1) {
                HELPER_CHUNKS.increment();
              }
            });
    // participant 1 runs only on the helper: a caller that takes the task back has already
    // started every chunk as participant 0
    Task task = offer(() -> chunks.help(1));
    Throwable failure = null;
    try {
      chunks.help(0);
    } catch (Throwable e) {
      failure = e;
    }
    if (task != null) {
      try {
        task.await(); // the helper's last chunk, or nothing if the caller took the task back
      } catch (Throwable e) {
        if (failure == null) {
          failure = e;
        } else if (failure != e) {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throwUnchecked(failure);
    }
  }

  /**
   * Runs {@code work} with every step on this thread: no task is offered to the helper while it
   * runs (one-core proving for one request, or a check that a result does not depend on the
   * helper).
   */
  public static <T> T onThisThread(Supplier<T> work) {
    boolean[] inline = INLINE.get();
    boolean was = inline[0];
    inline[0] = true;
    try {
      return work.get();
    } finally {
      inline[0] = was;
    }
  }

  private static final java.util.concurrent.atomic.LongAdder HELPER_CHUNKS =
      new java.util.concurrent.atomic.LongAdder();

  /**
   * How many {@link #forRange} chunks the helper has run since the JVM started (for tests and
   * benchmarks that want to know whether the second core took part at all).
   */
  public static long helperChunks() {
    return HELPER_CHUNKS.sum();
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
    if (HELPER == null || INLINE.get()[0]) {
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
