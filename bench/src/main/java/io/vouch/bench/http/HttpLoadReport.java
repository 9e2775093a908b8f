package io.vouch.bench.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The whole run: where it ran, with which settings, and each scenario's figures. */
record HttpLoadReport(
    Machine machine, HttpLoadTest.Settings settings, List<ScenarioResult> scenarios) {

  /** The machine and JVM the run had (both processes run on it: loopback only). */
  record Machine(
      String startedAt,
      int cores,
      long memTotalKb,
      Long openFilesLimit,
      String java,
      String os,
      String loadAverageAtStart) {}

  void writeJson(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
  }

  /** Two Markdown tables: the node's memory per scenario, then the clients' calls. */
  String markdown() {
    StringBuilder b = new StringBuilder();
    b.append(
        "| scenario | attack connections opened / still held at end | node RSS before | peak"
            + " (VmHWM) | at end of attack | after release | node threads before / peak | node"
            + " alive | OutOfMemoryError in log |\n");
    b.append("|---|---|--:|--:|--:|--:|--:|---|--:|\n");
    for (ScenarioResult s : scenarios) {
      AttackConnections.Census c = s.attackConnections();
      String conns =
          c.attempted() == 0
              ? "—"
              : c.opened()
                  + " / "
                  + c.held()
                  + (c.answeredWithStatus().isEmpty() ? "" : ", answered " + c.answeredWithStatus())
                  + (c.closedByNode() > 0 ? ", closed by node " + c.closedByNode() : "");
      b.append("| ")
          .append(s.scenario())
          .append(" | ")
          .append(conns)
          .append(" | ")
          .append(mb(s.rssBeforeKb()))
          .append(" | ")
          .append(mb(s.peakKb()))
          .append(" | ")
          .append(mb(s.rssEndKb()))
          .append(" | ")
          .append(mb(s.rssAfterKb()))
          .append(" | ")
          .append(s.threadsBefore() == null ? "—" : s.threadsBefore())
          .append(" / ")
          .append(s.threadsPeak() == null ? "—" : s.threadsPeak())
          .append(" | ")
          .append(s.nodeAliveAfter() ? "yes" : "**no** (exit " + s.nodeExitCode() + ")")
          .append(" | ")
          .append(
              s.outOfMemoryErrorLogLines() == 0
                  ? "no"
                  : "**" + s.outOfMemoryErrorLogLines() + " lines**")
          .append(" |\n");
    }
    b.append('\n');
    b.append(
        "| scenario | client | endpoint | calls | answered OK | refused (status) | timed out |"
            + " connection failed | p50 / p99 of OK, ms |\n");
    b.append("|---|---|---|--:|--:|--:|--:|--:|--:|\n");
    for (ScenarioResult s : scenarios) {
      for (ScenarioResult.ClientResult client : s.clients()) {
        row(b, s.scenario(), client.connections(), "/health", client.health());
        row(b, s.scenario(), client.connections(), "/v1/infer", client.infer());
      }
    }
    return b.toString();
  }

  private static void row(
      StringBuilder b, String scenario, String client, String endpoint, EndpointTally.Summary e) {
    String refused = Integer.toString(e.refused());
    String statuses =
        e.statuses().entrySet().stream()
            .filter(x -> x.getKey() < 200 || x.getKey() >= 300)
            .map(x -> x.getKey() + "×" + x.getValue())
            .reduce((x, y) -> x + ", " + y)
            .orElse("");
    if (!statuses.isEmpty()) {
      refused += " (" + statuses + ")";
    }
    b.append("| ")
        .append(scenario)
        .append(" | ")
        .append(client)
        .append(" | ")
        .append(endpoint)
        .append(" | ")
        .append(e.calls())
        .append(" | ")
        .append(String.format(Locale.ROOT, "%.1f %%", 100 * e.okShare()))
        .append(" | ")
        .append(refused)
        .append(" | ")
        .append(e.timedOut())
        .append(" | ")
        .append(e.connectionFailed())
        .append(" | ")
        .append(
            e.p50Millis() == null
                ? "—"
                : String.format(Locale.ROOT, "%.2f / %.2f", e.p50Millis(), e.p99Millis()))
        .append(" |\n");
  }

  private static String mb(Long kb) {
    return kb == null ? "— (gone)" : String.format(Locale.ROOT, "%,d MB", Math.round(kb / 1024.0));
  }
}
