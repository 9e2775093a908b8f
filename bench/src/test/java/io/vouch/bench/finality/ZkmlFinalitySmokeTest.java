package io.vouch.bench.finality;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The ZKML finality benchmark once with 3 requests, so that a broken benchmark fails the build: a
 * devnet of real processes (anvil mining a block a second, an inference node, 3 validators), the
 * report written, every request finalized, and each timeline in the court's order. Nothing here
 * depends on time: block numbers are the chain's order of events, not a clock.
 */
class ZkmlFinalitySmokeTest {
  @Test
  void threeRequestsAreFinalizedAndEachTimelineIsReported(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("zkml-finality.json");
    StringWriter printed = new StringWriter();

    int exit =
        ZkmlFinality.commandLine()
            .setOut(new PrintWriter(printed))
            .execute(
                "--requests",
                "3",
                "--warmup",
                "1",
                "--work-dir",
                dir.resolve("work").toString(),
                "--out",
                json.toString());

    assertThat(exit).as(printed.toString()).isZero();
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.get("requests").asInt()).isEqualTo(3);
    assertThat(report.get("finalized").asInt()).as("every request finalized").isEqualTo(3);
    assertThat(report.get("timelines")).hasSize(3);
    for (JsonNode t : report.get("timelines")) {
      long submitted = t.get("submittedBlock").asLong();
      long drawn = t.get("drawBlock").asLong();
      long finalized = t.get("finalizedBlock").asLong();
      List<Long> verdicts = new ArrayList<>();
      t.get("verdictBlocks").forEach(v -> verdicts.add(v.asLong()));
      assertThat(drawn)
          .as("drawn from a seed mined after the submission: " + t)
          .isGreaterThanOrEqualTo(submitted + 2);
      assertThat(verdicts).as("a 2-of-3 quorum: " + t).hasSizeGreaterThanOrEqualTo(2);
      assertThat(verdicts).allMatch(b -> b > drawn, "verdicts after the draw");
      assertThat(finalized)
          .as("the quorum's verdict finalizes in its own transaction: " + t)
          .isEqualTo(verdicts.stream().mapToLong(Long::longValue).max().orElseThrow());
      assertThat(t.get("blocks").asLong()).isEqualTo(finalized - submitted);
    }
    JsonNode blocks = report.at("/summary/submittedToFinalizedBlocks");
    assertThat(blocks.get("median").asLong()).isBetween(3L, blocks.get("p95").asLong());
    assertThat(printed.toString()).contains("| 3 | 3 |").contains("first measured request:");
  }
}
