package io.vouch.infra.service;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts services in order and stops them in reverse; a failed start stops what had started and
 * rethrows. The controller owns its services' lifecycles: nothing else starts them.
 */
public final class ServiceController extends Service {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceController.class);
  private final List<Service> services;
  private final List<Service> started = new ArrayList<>();

  public ServiceController(List<? extends Service> services) {
    this.services = List.copyOf(services);
  }

  /** The services in start order. */
  public List<Service> services() {
    return services;
  }

  @Override
  protected void doStart() throws Exception {
    for (Service s : services) {
      try {
        s.start();
        started.add(s);
      } catch (Exception e) {
        LOG.error("{} failed to start: {}", s.name(), e.getMessage());
        doStop();
        throw e;
      }
    }
  }

  @Override
  protected void doStop() {
    for (int i = started.size() - 1; i >= 0; i--) {
      Service s = started.get(i);
      try {
        s.stop();
      } catch (RuntimeException e) {
        LOG.warn("{} did not stop cleanly: {}", s.name(), e.getMessage());
      }
    }
    started.clear();
  }
}
