package io.vouch.node.chain;

import io.vouch.infra.service.Scheduler;
import io.vouch.infra.service.Service;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model sync loop: starting syncs the served models once (a failure fails the node's start, as
 * a node that cannot fetch its models cannot serve them), then the {@link ModelProvisioner} syncs
 * again every poll interval on the shared scheduler; when a sync changed the catalog, {@code
 * onChange} runs (the node publishes its models again). A failed round is logged and retried.
 */
public final class ModelSync extends Service {
  private static final Logger LOG = LoggerFactory.getLogger(ModelSync.class);

  /** What a sync may throw: a model that cannot be fetched, checked or loaded. */
  @FunctionalInterface
  public interface Sync {
    /** Returns whether the served models changed. */
    boolean sync() throws Exception;
  }

  private final Sync sync;
  private final Runnable onChange;
  private final Duration pollInterval;
  private final Scheduler scheduler;
  private Scheduler.Repeating loop;

  public ModelSync(Sync sync, Runnable onChange, Duration pollInterval, Scheduler scheduler) {
    this.sync = sync;
    this.onChange = onChange;
    this.pollInterval = pollInterval;
    this.scheduler = scheduler;
  }

  @Override
  protected void doStart() throws Exception {
    sync.sync();
    loop = scheduler.repeat("vouch-models", pollInterval, pollInterval, this::round);
  }

  private void round() {
    try {
      if (sync.sync()) {
        onChange.run();
      }
    } catch (Exception e) {
      LOG.warn("model sync failed, will retry: {}", e.getMessage());
    }
  }

  @Override
  protected void doStop() {
    loop.cancel(false);
  }
}
