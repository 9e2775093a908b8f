package io.vouch.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.cli.VouchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vouch demo} end to end: a real devnet (anvil, contracts, hub, node processes), the model
 * pushed, direct and on-chain inferences, batch settlement, and the books reconciled.
 */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void demoRunsTheWholePathAndExitsZero() {
    StringWriter out = new StringWriter();
    CommandLine cl = VouchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));

    int code = cl.execute("demo", "--dir", dir.toString(), "--nodes", "2");

    String text = out.toString();
    assertThat(code).as(text).isZero();
    assertThat(text).contains("pushed support-intents@1: CID bafkrei");
    assertThat(text).contains("verified: hashes, ids, domain, signature by registered node");
    assertThat(text).contains("signature by active enclave key").contains("(DEVELOPMENT root");
    assertThat(text).contains("client-verified only (no validator quorum yet): proof verified");
    assertThat(text).contains("callback delivered with finality=true: ticket routed to queue");
    assertThat(text).contains("inclusion verified on chain");
    assertThat(text).contains("balanced: every wei is held, paid out or refunded");
    assertThat(text).doesNotContain("FAILED");
  }
}
