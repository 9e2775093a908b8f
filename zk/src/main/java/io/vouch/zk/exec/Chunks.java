package io.vouch.zk.exec;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work cut into chunks that two participants pull from one counter: a task {@linkplain
 * Parallel#fork forked} to the helper runs {@link #finish} as participant 0, and the caller, once
 * it has nothing better to do, runs {@link #help} as participant 1 before it joins. Whoever is free
 * takes the next chunk, so neither side waits for a split decided in advance.
 *
 * <p>Each chunk runs exactly once. A participant index tells the work which of two private
 * accumulators to use, so participants never write the same memory; results must not depend on
 * which participant ran which chunk (exact integer sums, for instance), which keeps proofs
 * byte-identical whatever the timing.
 */
public final class Chunks {
  /** One chunk of the work, run by the participant given (0 or 1). */
  @FunctionalInterface
  public interface Work {
    void run(int chunk, int participant);
  }

  private final int count;
  private final Work work;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger done = new AtomicInteger();
  private volatile Throwable failure;

  public Chunks(int count, Work work) {
    if (count < 0) {
      throw new IllegalArgumentException("chunk count must not be negative, got " + count);
    }
    this.count = count;
    this.work = work;
  }

  /**
   * Runs chunks as {@code participant} until none is left to start; a chunk that fails still counts
   * as done (so nobody waits for it forever) and its failure is rethrown here and by {@link
   * #finish}.
   */
  public void help(int participant) {
    if (participant != 0 && participant != 1) {
      throw new IllegalArgumentException("participant must be 0 or 1, got " + participant);
    }
    for (int chunk = next.getAndIncrement(); chunk < count; chunk = next.getAndIncrement()) {
      try {
        work.run(chunk, participant);
      } catch (Throwable e) {
        if (failure == null) {
          failure = e;
        }
      } finally {
        done.incrementAndGet();
      }
    }
    rethrow();
  }

  /**
   * {@link #help}, then waits until every chunk has finished, including those still running on the
   * other participant (each is a few microseconds of work already under way).
   */
  public void finish(int participant) {
    help(participant);
    for (int spins = 0; done.get() < count; spins++) {
      if ((spins & 1023) == 1023) {
        Thread.yield(); // the other participant may have been descheduled
      } else {
        Thread.onSpinWait();
      }
    }
    rethrow();
  }

  private void rethrow() {
    Throwable e = failure;
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    if (e != null) {
      throw new IllegalStateException("a chunk failed", e);
    }
  }
}
