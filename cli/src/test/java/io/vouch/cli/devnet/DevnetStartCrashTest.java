package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that dies while the devnet is still starting (after it answered /health, before the devnet
 * is up) fails the start at once, named with its log — nothing restarts it before the devnet's
 * state exists, so starting on would give a devnet with a node down, or a timeout naming its
 * enclave key instead.
 */
class DevnetStartCrashTest {
  @TempDir Path dir;

  @Test
  void aNodeKilledWhileTheDevnetStartsFailsTheStartNamingIt() {
    DevnetSupervisor devnet =
        new DevnetSupervisor(dir, 2, Duration.ofSeconds(2), this::killNode1OnceUp)
            .withValidators(3)
            .withTee(true);
    try {
      assertThatThrownBy(devnet::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("node 1 (")
          .hasMessageContaining("exited with 137 while the devnet was starting")
          .hasMessageContaining(dir.resolve("node-0.log").toString());
    } finally {
      devnet.close();
    }
    assertThat(killed).as("node 1 was found and killed").isTrue();
  }

  private boolean killed;

  /** At the first wait after every process answered /health: SIGKILL node 1 (data in node-0). */
  private void killNode1OnceUp(String message) {
    System.out.println("devnet: " + message);
    if (killed || !message.startsWith("waiting for the VerificationCourt to sit")) {
      return;
    }
    String data = dir.resolve("node-0").toString();
    Optional<ProcessHandle> node =
        ProcessHandle.current().descendants().filter(p -> arguments(p).contains(data)).findFirst();
    assertThat(node).as("node 1's process (data folder %s)", data).isPresent();
    node.get().destroyForcibly(); // SIGKILL
    node.get().onExit().join();
    killed = true;
  }

  /** The process's arguments from /proc (ProcessHandle.Info has none for a long command line). */
  private static List<String> arguments(ProcessHandle p) {
    try {
      String cmdline = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline"));
      return List.of(cmdline.split("\0"));
    } catch (IOException e) {
      return List.of(); // gone, or not Linux
    }
  }
}
