package io.vouch.zk.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class DeferredChecksTest {
  @Test
  void everyCheckRunsOnceAndTheEarliestFailureInTheOrderAddedIsThrown() {
    for (int round = 0; round < 100; round++) {
      int count = 2 + round % 30;
      int early = round % (count - 1), late = count - 1;
      AtomicIntegerArray runs = new AtomicIntegerArray(count);
      CountDownLatch lateFailed = new CountDownLatch(1);
      DeferredChecks checks = new DeferredChecks();
      for (int i = 0; i < count; i++) {
        int k = i;
        checks.add(() -> {
          runs.incrementAndGet(k);
          if (k == early) {
            // when another thread runs the late check, it fails first in time
            awaitQuietly(lateFailed, 1);
            throw new IllegalStateException("check " + k);
          }
          if (k == late) {
            lateFailed.countDown();
            throw new IllegalStateException("check " + k);
          }
        });
      }
      assertThatThrownBy(checks::finish).hasMessage("check " + early);
      for (int i = 0; i < count; i++) {
        assertThat(runs.get(i)).as("runs of check %d", i).isEqualTo(1);
      }
    }
  }

  @Test
  void aBatchAfterAFailedOneStartsClean() {
    DeferredChecks checks = new DeferredChecks();
    checks.add(() -> {
      throw new IllegalStateException("refused");
    });
    assertThatThrownBy(checks::finish).hasMessage("refused");
    int[] ran = new int[1];
    checks.add(() -> ran[0]++);
    assertThatCode(checks::finish).doesNotThrowAnyException();
    assertThat(ran[0]).isEqualTo(1);
  }

  @Test
  void withoutTheHelperEveryCheckRunsOnTheCallerWhenFinishedNewestFirst() {
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    Parallel.onThisThread(() -> {
      DeferredChecks checks = new DeferredChecks();
      for (int i = 0; i < 20; i++) {
        int k = i;
        checks.add(() -> {
          order.add(k);
          threads.add(Thread.currentThread());
        });
      }
      assertThat(order).isEmpty(); // nothing ran before finish
      checks.finish();
      return null;
    });
    assertThat(order).containsExactly(newestFirst(20));
    assertThat(threads).containsOnly(Thread.currentThread());
  }

  @Test
  void theHelperTakesAnAddedCheckWhileTheCallerGoesOn() {
    assumeTrue(Parallel.hasHelper(), "one core: there is no helper to take checks");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread[] ranOn = new Thread[1];
    DeferredChecks checks = new DeferredChecks();
    checks.add(() -> {
      ranOn[0] = Thread.currentThread();
      started.countDown();
      awaitQuietly(release, 10);
    });
    // the caller has not called finish: only the helper can start the check (a guard against a
    // hang, not a timing assertion)
    assertThat(awaitQuietly(started, 10)).as("the helper started the check").isTrue();
    release.countDown();
    checks.finish();
    assertThat(ranOn[0]).isNotSameAs(Thread.currentThread());
  }

  @Test
  void aComputedValueIsComputedOnceWhoeverAsksFirst() {
    for (int round = 0; round < 200; round++) {
      AtomicInteger computed = new AtomicInteger();
      AtomicInteger read = new AtomicInteger();
      int spin = round % 50 * 200;
      int others = round % 5;
      Runnable batch =
          () -> {
            DeferredChecks checks = new DeferredChecks();
            DeferredChecks.Value<Integer> value =
                checks.compute(() -> {
                  computed.incrementAndGet();
                  Blackhole.spin(spin); // the helper may still be at it when the reader asks
                  return 42;
                });
            for (int i = 0; i < others; i++) {
              checks.add(() -> Blackhole.spin(spin));
            }
            checks.add(() -> read.set(value.get()));
            checks.finish();
          };
      if (round % 2 == 0) {
        batch.run();
      } else {
        Parallel.onThisThread(() -> {
          batch.run(); // newest first: the reader asks before the computation's own turn
          return null;
        });
      }
      assertThat(computed.get()).as("computations in round %d", round).isEqualTo(1);
      assertThat(read.get()).isEqualTo(42);
    }
  }

  @Test
  void aComputationsFailureIsReportedWhereItsReaderStandsInTheOrderAdded() {
    for (int round = 0; round < 50; round++) {
      boolean helper = round % 2 == 0;
      // the computation is added first and fails; a check added before its reader fails too
      assertThat(failureOf(helper, true)).isEqualTo("the check before the reader");
      // with no earlier failure, the reader reports the computation's
      assertThat(failureOf(helper, false)).isEqualTo("the computation");
    }
  }

  private static String failureOf(boolean helper, boolean earlierFailure) {
    java.util.function.Supplier<String> batch =
        () -> {
          DeferredChecks checks = new DeferredChecks();
          DeferredChecks.Value<Integer> value =
              checks.compute(() -> {
                throw new IllegalStateException("the computation");
              });
          checks.add(() -> {
            if (earlierFailure) {
              throw new IllegalStateException("the check before the reader");
            }
          });
          checks.add(() -> value.get());
          try {
            checks.finish();
            return "nothing";
          } catch (IllegalStateException e) {
            return e.getMessage();
          }
        };
    return helper ? batch.get() : Parallel.onThisThread(batch::get);
  }

  /** Busy work the JIT cannot remove. */
  private static final class Blackhole {
    static volatile long sink;

    static void spin(int iterations) {
      long x = iterations;
      for (int i = 0; i < iterations; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
      sink = x;
    }
  }

  private static boolean awaitQuietly(CountDownLatch latch, int seconds) {
    try {
      return latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Integer[] newestFirst(int n) {
    Integer[] r = new Integer[n];
    for (int i = 0; i < n; i++) {
      r[i] = n - 1 - i;
    }
    return r;
  }
}
