package io.vouch.zk.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Independent checks that a sequential procedure (a verifier replaying its transcript) meets on its
 * way and whose outcome nothing later depends on: each is handed to the {@link Parallel} helper as
 * it is added, so the helper works through them while the caller goes on, and {@link #finish} runs
 * whatever the helper has not taken on the caller and reports the outcome. One thread (the
 * procedure's) calls {@link #add} and {@link #finish}; the checks may run on either.
 *
 * <p>The outcome is that of running every check in the order added: {@link #finish} throws the
 * failure of the earliest failing check, whichever thread ran it and whenever. Without a helper
 * (one core, {@code -Dvouch.zk.helper=false}, or inside {@link Parallel#onThisThread}) every check
 * runs in {@link #finish}, on the caller; with the helper busy with another caller's work, the
 * caller runs in {@link #finish} whatever the helper has not taken by then.
 *
 * <p>Whoever is free claims the newest unclaimed check. The order of running changes no outcome
 * (failures are kept by the order added), only the time: in a verifier the checks met last are the
 * largest (the witness opening), and starting the largest first leaves the small ones to even out
 * the end, where oldest first left one thread waiting on the witness opening while the other had
 * nothing (LeNet-5's verification 0.72 → 0.63 of one thread's; bench/README.md, "Verification on
 * two threads").
 *
 * <p>A check may read a value that takes long to compute but is known well before the check is met
 * ({@link #compute}): the value is computed beside the replay from the moment it can be, and the
 * check, added where the order of checks puts it, reads it ({@link Value#get}).
 */
public final class DeferredChecks {
  private final List<Runnable> checks = new ArrayList<>(); // guarded by this
  private final List<RuntimeException> failures = new ArrayList<>(); // guarded by this
  private final List<Integer> unclaimed = new ArrayList<>(); // in the order added; guarded by this
  private boolean draining; // a fork is (or will be) working through the checks; guarded by this
  private final List<Parallel.Forked<Void>> forks = new ArrayList<>(); // the caller's only

  /** Adds a check; the helper may start it at once. It must not share mutable state. */
  public void add(Runnable check) {
    boolean start;
    synchronized (this) {
      unclaimed.add(checks.size());
      checks.add(check);
      failures.add(null);
      start = !draining;
      draining = true;
    }
    if (start) {
      forks.add(
          Parallel.fork(() -> {
            drain(true);
            return null;
          }));
    }
  }

  /**
   * Starts computing {@code work} beside the caller, as {@link #add} starts a check, for a check
   * added later to read. The computation itself never fails: what it throws is thrown by {@link
   * Value#get}, so a failure is reported where the reading check stands in the order added.
   */
  public <T> Value<T> compute(Supplier<T> work) {
    Value<T> value = new Value<>(work);
    add(value.task); // what it throws is kept for get()
    return value;
  }

  /**
   * A value computed once, by whichever thread comes first ({@link #compute}): a {@link FutureTask}
   * that its reader runs if no thread has started it.
   */
  public static final class Value<T> {
    private final FutureTask<T> task;

    private Value(Supplier<T> work) {
      this.task = new FutureTask<>(work::get);
    }

    /**
     * The value: computed here if no thread has started it, awaited if one is computing it.
     *
     * @throws RuntimeException what computing it threw
     */
    public T get() {
      task.run(); // does nothing if another thread has started it or it is done
      boolean interrupted = false;
      try {
        while (true) {
          try {
            return task.get();
          } catch (InterruptedException e) {
            interrupted = true; // the computation is short and running: finish waiting for it
          } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
              throw r;
            }
            if (e.getCause() instanceof Error err) {
              throw err;
            }
            throw new IllegalStateException(e.getCause()); // a Supplier throws nothing checked
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * Runs the checks no thread has taken, waits for the ones the helper took, and throws the failure
   * of the earliest failing check in the order they were added (if any). Checks added after this
   * are a new batch.
   */
  public void finish() {
    drain(false);
    for (Parallel.Forked<Void> fork : forks) {
      fork.join(); // a fork the helper never took runs here, and finds nothing left
    }
    forks.clear();
    RuntimeException first = null;
    synchronized (this) {
      for (RuntimeException failure : failures) {
        if (failure != null) {
          first = failure;
          break;
        }
      }
      checks.clear();
      failures.clear();
      draining = false;
    }
    if (first != null) {
      throw first;
    }
  }

  /** Runs unclaimed checks until none is left; a fork then lets the next add start another. */
  private void drain(boolean fork) {
    while (true) {
      int i;
      Runnable check;
      synchronized (this) {
        if (unclaimed.isEmpty()) {
          if (fork) {
            draining = false;
          }
          return;
        }
        i = unclaimed.remove(unclaimed.size() - 1); // the newest first (class comment)
        check = checks.get(i);
      }
      RuntimeException failure = null;
      try {
        check.run();
      } catch (RuntimeException e) {
        failure = e;
      }
      if (failure != null) {
        synchronized (this) {
          failures.set(i, failure);
        }
      }
    }
  }
}
