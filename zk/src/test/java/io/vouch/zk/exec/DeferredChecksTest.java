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
