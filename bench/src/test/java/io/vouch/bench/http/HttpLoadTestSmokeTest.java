package io.vouch.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load test once in a tiny configuration (a few connections, a second per scenario), so that a
 * broken load test fails the build. Nothing here depends on time or on how the node fared: only
 * that every scenario ran against a node process and was reported.
 */
class HttpLoadTestSmokeTest {
  @Test
  void everyScenarioRunsAgainstANodeProcessAndIsReported(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("http-load.json");
    StringWriter printed = new StringWriter();
    int exit =
        HttpLoadTest.commandLine()
            .setOut(new PrintWriter(printed))
            .execute(
                "--duration-s", "1",
                "--warmup-calls", "10",
                "--settle-s", "0.2",
                "--idle-connections", "3",
                "--slow-header-connections", "3",
                "--slow-header-interval-ms", "200",
                "--body-connections", "2",
                "--declared-body-bytes", "1048576",
                "--body-trickle-ms", "200",
                "--node-heap", "256m",
                "--attack-from", "127.0.0.1",
                "--work-dir", dir.toString(),
                "--out", json.toString());

    assertEquals(0, exit, printed::toString);
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    List<String> names = new ArrayList<>();
    for (JsonNode s : report.get("scenarios")) {
      names.add(s.get("scenario").asText());
      assertTrue(s.get("nodePid").asLong() > 0);
      assertTrue(s.get("rssBeforeKb").asLong() > 0, "the node's VmRSS was read before the attack");
      for (JsonNode client : s.get("clients")) {
        for (String endpoint : List.of("health", "infer")) {
          JsonNode e = client.get(endpoint);
          assertTrue(e.get("calls").asInt() >= 1, "each client calls each endpoint at least once");
          assertEquals(
              e.get("calls").asInt(),
              e.get("ok").asInt()
                  + e.get("refused").asInt()
                  + e.get("timedOut").asInt()
                  + e.get("connectionFailed").asInt(),
              "every call has one outcome");
        }
      }
    }
    assertEquals(HttpLoadTest.ALL_SCENARIOS, names);
    assertTrue(printed.toString().contains("| declared-bodies |"), printed::toString);
  }
}
