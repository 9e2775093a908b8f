package io.vouch.infra.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  private static final Duration TICK = Duration.ofMillis(1);
  private Scheduler scheduler;

  @BeforeEach
  void start() throws Exception {
    scheduler = new Scheduler("test");
    scheduler.start();
  }

  @AfterEach
  void stop() {
    scheduler.stop();
  }

  @Test
  void aTaskRepeatsUntilCancelled() throws Exception {
    CountDownLatch three = new CountDownLatch(3);
    AtomicInteger runs = new AtomicInteger();
    Scheduler.Repeating r =
        scheduler.repeat(
            "count",
            Duration.ZERO,
            TICK,
            () -> {
              runs.incrementAndGet();
              three.countDown();
            });
    assertTrue(three.await(30, TimeUnit.SECONDS));
    r.cancel(false);
    int after = runs.get();
    // a run scheduled before the cancel may not start after it: the count is final
    Thread.sleep(20);
    assertEquals(after, runs.get());
  }

  @Test
  void aTaskNeverOverlapsItself() throws Exception {
    AtomicBoolean inside = new AtomicBoolean();
    AtomicBoolean overlapped = new AtomicBoolean();
    CountDownLatch runs = new CountDownLatch(20);
    Scheduler.Repeating r =
        scheduler.repeat(
            "exclusive",
            Duration.ZERO,
            TICK,
            () -> {
              if (!inside.compareAndSet(false, true)) {
                overlapped.set(true);
              }
              Thread.yield();
              inside.set(false);
              runs.countDown();
            });
    assertTrue(runs.await(30, TimeUnit.SECONDS));
    r.cancel(false);
    assertFalse(overlapped.get());
  }

  @Test
  void aRunThatThrowsDoesNotEndTheRepetition() throws Exception {
    CountDownLatch second = new CountDownLatch(2);
    Scheduler.Repeating r =
        scheduler.repeat(
            "flaky",
            Duration.ZERO,
            TICK,
            () -> {
              second.countDown();
              throw new IllegalStateException("RPC down");
            });
    assertTrue(second.await(30, TimeUnit.SECONDS));
    r.cancel(false);
  }

  @Test
  void cancelWaitsForTheRunInProgress() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    Scheduler.Repeating r =
        scheduler.repeat(
            "slow",
            Duration.ZERO,
            TICK,
            () -> {
              entered.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              finished.set(true);
            });
    assertTrue(entered.await(30, TimeUnit.SECONDS));
    Thread releaser =
        Thread.ofPlatform()
            .start(() -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                return;
              }
              release.countDown();
            });
    r.cancel(false);
    assertTrue(finished.get(), "cancel returned while the run was still in progress");
    releaser.join();
  }

  @Test
  void cancelWithInterruptInterruptsTheRunInProgress() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Scheduler.Repeating r =
        scheduler.repeat(
            "blocked",
            Duration.ZERO,
            TICK,
            () -> {
              entered.countDown();
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                interrupted.set(true);
              }
            });
    assertTrue(entered.await(30, TimeUnit.SECONDS));
    r.cancel(true);
    assertTrue(interrupted.get());
  }

  @Test
  void aRunHasTheTaskNameAsItsThreadName() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    String[] name = new String[1];
    Scheduler.Repeating r =
        scheduler.repeat(
            "vouch-models",
            Duration.ZERO,
            Duration.ofHours(1),
            () -> {
              name[0] = Thread.currentThread().getName();
              ran.countDown();
            });
    assertTrue(ran.await(30, TimeUnit.SECONDS));
    r.cancel(false);
    assertEquals("vouch-models", name[0]);
  }

  @Test
  void runNowRunsAWaitingTaskWithoutWaitingForItsDelay() throws Exception {
    // the first run can start, end and schedule the next before repeat() returns; the handle must
    // then know that next run, or runNow finds nothing to bring forward (a CI run waited an hour)
    for (int round = 0; round < 300; round++) {
      CountDownLatch first = new CountDownLatch(1);
      CountDownLatch second = new CountDownLatch(2);
      Scheduler.Repeating r =
          scheduler.repeat(
              "hourly",
              Duration.ZERO,
              Duration.ofHours(1),
              () -> {
                first.countDown();
                second.countDown();
              });
      assertTrue(first.await(30, TimeUnit.SECONDS));
      r.runNow();
      assertTrue(
          second.await(30, TimeUnit.SECONDS),
          "round " + round + ": runNow waited for the hour-long delay");
      r.cancel(false);
    }
  }

  @Test
  void runNowDuringARunRunsAgainRightAfterIt() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch twice = new CountDownLatch(2);
    Scheduler.Repeating r =
        scheduler.repeat(
            "hourly",
            Duration.ZERO,
            Duration.ofHours(1),
            () -> {
              entered.countDown();
              twice.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertTrue(entered.await(30, TimeUnit.SECONDS));
    r.runNow();
    release.countDown();
    assertTrue(twice.await(30, TimeUnit.SECONDS), "the second run waited for the delay");
    r.cancel(false);
  }

  @Test
  void schedulingOnAStoppedSchedulerSaysToStartItFirst() {
    Scheduler idle = new Scheduler("idle");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> idle.repeat("x", Duration.ZERO, TICK, () -> {}));
    assertTrue(e.getMessage().contains("start it before the services that use it"), e.getMessage());
  }
}
