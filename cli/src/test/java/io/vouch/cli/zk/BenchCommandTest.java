package io.vouch.cli.zk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code vouch bench zkml} reports one JSON row per model; no timing is asserted (allocation is a
 * byte count, not a time).
 */
class BenchCommandTest {
  @Test
  void zkmlReportsOneRowWithProofSizeAndSoundness() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new BenchCommand());
    cl.setOut(new PrintWriter(out, true));

    int exit = cl.execute("zkml", "--rounds", "1", "--models", "MNIST_MLP", "--json");

    assertThat(exit).isZero();
    JsonNode rows = new ObjectMapper().readTree(out.toString());
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("shape").asText()).isEqualTo("784-128-10");
    assertThat(rows.get(0).get("proofBytes").asInt()).isPositive();
    assertThat(rows.get(0).get("soundnessBits").asInt()).isGreaterThanOrEqualTo(100);
    // bytes allocated per proof / verification by all threads: present and positive, and a proof
    // allocates at least the proof it returns
    assertThat(rows.get(0).get("proveAllocatedBytes").isIntegralNumber()).isTrue();
    assertThat(rows.get(0).get("proveAllocatedBytes").asLong())
        .isGreaterThanOrEqualTo(rows.get(0).get("proofBytes").asLong());
    assertThat(rows.get(0).get("verifyAllocatedBytes").asLong()).isPositive();
    // CPU time of all threads per proof and per inference, and their ratio
    assertThat(rows.get(0).get("proveCpuMillis").asDouble()).isPositive();
    assertThat(rows.get(0).get("proverCpuOverInference").asDouble()).isPositive();
  }

  @Test
  void zkmlTableHasAnAllocationColumn() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new BenchCommand());
    cl.setOut(new PrintWriter(out, true));

    int exit = cl.execute("zkml", "--rounds", "1", "--models", "SUPPORT_INTENTS");

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("prove MB").contains("agree %").contains("SUPPORT_INTENTS");
  }
}
