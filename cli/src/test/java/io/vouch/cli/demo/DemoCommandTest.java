package io.vouch.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vouch demo} end to end, run as a process: a real devnet (anvil, contracts, hub, node
 * processes), the model pushed, direct and on-chain inferences, batch settlement, and the books
 * reconciled. With {@code --json} the steps come as one JSON object (the text form prints the same
 * lines as they happen).
 */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void demoRunsTheWholePathAndExitsZero() throws Exception {
    Run r =
        new VouchProcess(dir)
            .run("demo", "--dir", dir.resolve("demo").toString(), "--nodes", "2", "--json");

    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode demo = new ObjectMapper().readTree(r.out());
    assertThat(demo.get("ok").asBoolean()).isTrue();
    assertThat(demo.get("steps")).hasSize(DemoCommand.STEPS);
    String text = demo.get("steps").toString();
    assertThat(text).contains("pushed support-intents@1: CID bafkrei");
    assertThat(text).contains("verified: hashes, ids, domain, signature by registered node");
    assertThat(text).contains("signature by active enclave key").contains("(DEVELOPMENT root");
    assertThat(text)
        .containsPattern(
            "enclave key 0x[0-9a-fA-F]{40} approved by a committee of"
                + " validators at block [1-9]");
    assertThat(text).contains("checked by this client: proof verified");
    assertThat(text).contains("callback delivered with finality=true: ticket routed to queue");
    assertThat(text)
        .contains("audit terms on chain: 100 % of VANILLA results re-executed")
        .contains("verified on chain: selected for audit (rate 100 %): verified VALID by ")
        .contains("verified on chain: ZKML proof: verified VALID by ")
        .containsPattern("final \\d+ block\\(s\\) after the result was submitted")
        .contains("ZKML proof: judged INVALID by ")
        .containsPattern("faulty node's stake (\\d+) wei -> \\d+ wei")
        .contains("answered by 0x")
        .contains("VerificationCourt: balance = bonds + payouts owed");
    assertThat(text).contains("inclusion verified on chain");
    assertThat(text).contains("balanced: every wei is held, paid out or refunded");
    assertThat(text).doesNotContain("FAILED");
  }
}
