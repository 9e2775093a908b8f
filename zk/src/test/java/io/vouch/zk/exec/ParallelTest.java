package io.vouch.zk.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @Test
  void bothRunsBothHalvesExactlyOnceAndTheirWritesAreVisible() {
    for (int round = 0; round < 2_000; round++) {
      long[] out = new long[2];
      AtomicInteger runs = new AtomicInteger();
      Parallel.both(
          () -> {
            out[0] = sum(0, 1_000);
            runs.incrementAndGet();
          },
          () -> {
            out[1] = sum(1_000, 2_000);
            runs.incrementAndGet();
          });
      assertThat(runs).hasValue(2);
      assertThat(out[0] + out[1]).isEqualTo(sum(0, 2_000));
    }
  }

  @Test
  void forkReturnsItsResultWhoeverRanIt() {
    for (int round = 0; round < 2_000; round++) {
      int k = round;
      Parallel.Forked<Long> f = Parallel.fork(() -> sum(0, k));
      assertThat(f.join()).isEqualTo(sum(0, k));
      assertThat(f.join()).isEqualTo(sum(0, k)); // joining again does not run it again
    }
  }

  @Test
  void nestedCallsFromBothThreadsComplete() {
    long[] out = new long[4];
    Parallel.both(
        () -> Parallel.both(() -> out[0] = sum(0, 10), () -> out[1] = sum(10, 20)),
        () -> Parallel.both(() -> out[2] = sum(20, 30), () -> out[3] = sum(30, 40)));
    assertThat(out[0] + out[1] + out[2] + out[3]).isEqualTo(sum(0, 40));
  }

  @Test
  void aFailureInEitherHalfReachesTheCallerAfterBothFinished() {
    AtomicInteger finished = new AtomicInteger();
    assertThatThrownBy(() ->
            Parallel.both(
                () -> {
                  throw new IllegalStateException("left half");
                },
                finished::incrementAndGet))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("left half");
    assertThat(finished).hasValue(1);
    assertThatThrownBy(() ->
            Parallel.both(
                finished::incrementAndGet,
                () -> {
                  throw new ArithmeticException("right half");
                }))
        .isInstanceOf(ArithmeticException.class)
        .hasMessage("right half");
    assertThat(finished).hasValue(2);
    assertThatThrownBy(() ->
            Parallel.fork(
                    () -> {
                      throw new IllegalArgumentException("forked");
                    })
                .join())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forked");
  }

  @Test
  void manyCallersAtOnceNeitherDeadlockNorMixUpResults() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int c = 0; c < 6; c++) {
        int caller = c;
        results.add(
            pool.submit(() -> {
              for (int round = 0; round < 500; round++) {
                long[] out = new long[2];
                int from = caller * 1_000 + round;
                Parallel.both(
                    () -> out[0] = sum(from, from + 300),
                    () -> out[1] = Parallel.fork(() -> sum(from + 300, from + 600)).join());
                if (out[0] + out[1] != sum(from, from + 600)) {
                  return false;
                }
              }
              return true;
            }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void forRangeRunsEveryItemExactlyOnceInChunksOfAtMostTheGrain() {
    long before = Parallel.helperChunks();
    for (int round = 0; round < 500; round++) {
      int n = 1 + round * 7;
      int grain = 1 + round % 13;
      int[] runs = new int[n];
      long[][] acc = new long[2][1];
      Parallel.forRange(
          n,
          grain,
          (from, to, who) -> {
            assertThat(to - from).isBetween(1, grain);
            for (int i = from; i < to; i++) {
              runs[i]++;
              acc[who][0] += (long) i * i;
            }
          });
      for (int i = 0; i < n; i++) {
        assertThat(runs[i]).as("item %d of %d", i, n).isEqualTo(1);
      }
      assertThat(acc[0][0] + acc[1][0]).isEqualTo(sum(0, n));
    }
    if (Parallel.hasHelper()) {
      // 500 calls of up to 3,500 items: the helper, spinning between them, takes some chunks
      assertThat(Parallel.helperChunks()).isGreaterThan(before);
    }
  }

  @Test
  void forRangeOfNothingRunsNothing() {
    Parallel.forRange(
        0,
        4,
        (from, to, who) -> {
          throw new AssertionError("ran a chunk of an empty range");
        });
  }

  @Test
  void onThisThreadRunsEveryChunkOnTheCallerAsParticipantZero() {
    Thread caller = Thread.currentThread();
    long before = Parallel.helperChunks();
    int n =
        Parallel.onThisThread(() -> {
          AtomicInteger items = new AtomicInteger();
          for (int round = 0; round < 200; round++) {
            Parallel.forRange(
                1_000,
                8,
                (from, to, who) -> {
                  assertThat(who).isZero();
                  assertThat(Thread.currentThread()).isSameAs(caller);
                  items.addAndGet(to - from);
                });
            Parallel.both(
                () -> assertThat(Thread.currentThread()).isSameAs(caller),
                () -> assertThat(Thread.currentThread()).isSameAs(caller));
          }
          return items.get();
        });
    assertThat(n).isEqualTo(200 * 1_000);
    assertThat(Parallel.helperChunks()).isEqualTo(before);
  }

  @Test
  void aFailingChunkReachesTheCallerAfterEveryStartedChunkFinished() {
    AtomicInteger running = new AtomicInteger();
    for (int round = 0; round < 200; round++) {
      int bad = round % 64;
      assertThatThrownBy(() ->
              Parallel.forRange(
                  64,
                  1,
                  (from, to, who) -> {
                    running.incrementAndGet();
                    try {
                      if (from == bad) {
                        throw new IllegalStateException("chunk " + bad);
                      }
                      sum(0, 2_000);
                    } finally {
                      running.decrementAndGet();
                    }
                  }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("chunk " + bad);
      assertThat(running).hasValue(0);
    }
  }

  @Test
  void nestedForRangeInsideChunksCompletes() {
    long[][] out = new long[16][];
    Parallel.forRange(
        16,
        1,
        (from, to, who) -> {
          for (int k = from; k < to; k++) {
            long[] parts = new long[2];
            int base = k * 100;
            Parallel.forRange(
                100,
                10,
                (a, b, w) -> {
                  synchronized (parts) {
                    parts[w] += sum(base + a, base + b);
                  }
                });
            out[k] = parts;
          }
        });
    long total = 0;
    for (long[] p : out) {
      total += p[0] + p[1];
    }
    assertThat(total).isEqualTo(sum(0, 1_600));
  }

  private static long sum(int from, int to) {
    long s = 0;
    for (int i = from; i < to; i++) {
      s += (long) i * i;
    }
    return s;
  }
}
