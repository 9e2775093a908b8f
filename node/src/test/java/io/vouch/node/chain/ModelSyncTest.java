package io.vouch.node.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.infra.service.Scheduler;
import io.vouch.infra.service.Service;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The model sync loop as a service, with a scripted sync in place of the provisioner (which needs a
 * chain and a hub; `OnChainNodeTest` runs the real one): what start, a changed catalog and a
 * failing round do.
 */
class ModelSyncTest {
  static final Duration POLL = Duration.ofMillis(1);
  Scheduler scheduler;

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
  void aFirstSyncThatFailsFailsTheStart() {
    ModelSync sync =
        new ModelSync(
            () -> {
              throw new IOException("hub unreachable");
            },
            () -> {},
            POLL,
            scheduler);

    assertThatThrownBy(sync::start).isInstanceOf(IOException.class).hasMessage("hub unreachable");
    assertThat(sync.state()).isEqualTo(Service.State.STOPPED);
  }

  @Test
  void aRoundThatChangedTheModelsRunsOnChangeAndAFailedRoundIsRetried() throws Exception {
    AtomicInteger rounds = new AtomicInteger();
    CountDownLatch changed = new CountDownLatch(1);
    ModelSync sync =
        new ModelSync(
            () ->
                switch (rounds.incrementAndGet()) {
                  case 1 -> false; // the first sync, at start
                  case 2 -> throw new IOException("hub unreachable");
                  default -> true;
                },
            changed::countDown,
            POLL,
            scheduler);

    sync.start();
    assertThat(changed.await(30, TimeUnit.SECONDS)).isTrue();
    sync.stop();

    assertThat(rounds.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void startSyncsOnceBeforeItReturns() throws Exception {
    AtomicInteger rounds = new AtomicInteger();
    ModelSync sync =
        new ModelSync(() -> rounds.incrementAndGet() < 0, () -> {}, Duration.ofHours(1), scheduler);

    sync.start();
    int afterStart = rounds.get();
    sync.stop();

    assertThat(afterStart).isEqualTo(1);
  }
}
