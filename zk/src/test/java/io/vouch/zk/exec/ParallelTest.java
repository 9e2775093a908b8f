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

  private static long sum(int from, int to) {
    long s = 0;
    for (int i = from; i < to; i++) {
      s += (long) i * i;
    }
    return s;
  }
}
