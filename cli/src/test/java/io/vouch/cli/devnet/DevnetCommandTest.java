package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.cli.VouchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vouch devnet up|status|down} as a user runs them: {@code up} leaves a supervisor process
 * (anvil, hub, node processes) running after the command returns, and {@code down} stops it all.
 */
class DevnetCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run vouch(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = VouchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  @Test
  void upLeavesARunningDevnetThatStatusSeesAndDownStops() throws Exception {
    String d = dir.resolve("net").toString();

    Run up = vouch("devnet", "up", "--nodes", "1", "--validators", "0", "--dir", d, "--json");
    try {
      assertThat(up.code()).as(up.err()).isZero();
      JsonNode state = JSON.readTree(up.out());
      long supervisor = state.get("supervisorPid").asLong();
      long node = state.at("/nodes/0/pid").asLong();
      assertThat(ProcessHandle.of(supervisor).map(ProcessHandle::isAlive)).hasValue(true);

      Run status = vouch("devnet", "status", "--dir", d, "--json");
      assertThat(status.code()).as(status.out() + status.err()).isZero();
      assertThat(JSON.readTree(status.out()).at("/nodes/0/up").asBoolean()).isTrue();

      Run again = vouch("devnet", "up", "--dir", d);
      assertThat(again.code()).isEqualTo(2);
      assertThat(again.err()).contains("already running").contains("vouch devnet down");

      Run down = vouch("devnet", "down", "--dir", d, "--json");
      assertThat(down.code()).isZero();
      assertThat(JSON.readTree(down.out()).get("stoppedNodes").asInt()).isEqualTo(1);
      assertThat(ProcessHandle.of(supervisor).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(ProcessHandle.of(node).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(Files.exists(dir.resolve("net").resolve("devnet.json"))).isFalse();
      assertThat(vouch("devnet", "status", "--dir", d).code()).isEqualTo(2);
    } finally {
      vouch("devnet", "down", "--dir", d);
    }
  }
}
