package io.vouch.hub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.hub.repo.ModelRepository;
import io.vouch.hub.store.FileContentStore;
import io.vouch.infra.service.Scheduler;
import io.vouch.infra.service.Service;
import io.vouch.infra.service.ServiceController;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub server as a service: bound by its controller's start, released by its stop. */
class HubServerServiceTest {
  @TempDir Path dir;

  HubServer server() throws java.io.IOException {
    return HubServer.create(
        ModelRepository.inMemory(new FileContentStore(dir.resolve("store"))),
        HubServerConfig.loopback());
  }

  @Test
  void aControllerStartsTheHubServerAndStopsIt() throws Exception {
    HubServer hub = server();
    ServiceController services = new ServiceController(List.of(new Scheduler("hub"), hub));

    services.start();
    HubClient client = HubClient.of(hub.uri());
    byte[] weights = "weights".getBytes(StandardCharsets.UTF_8);
    byte[] back = client.fetchBlob(client.pushBlob(weights));
    services.stop();

    assertThat(back).isEqualTo(weights);
    assertThat(hub.state()).isEqualTo(Service.State.STOPPED);
  }

  @Test
  void aServerNotStartedHasNoAddressYet() {
    assertThatThrownBy(() -> server().uri())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not started");
  }

  @Test
  void startingTheHubServerTwiceIsAnError() throws Exception {
    try (HubServer hub = server()) {
      hub.start();
      assertThatThrownBy(hub::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("hub server cannot start: it is running");
    }
  }
}
