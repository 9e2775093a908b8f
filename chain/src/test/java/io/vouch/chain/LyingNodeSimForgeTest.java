package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A lying node against the real contracts (contracts/scale/test/LyingNodeSim.t.sol, forge's "sim"
 * profile): at a 20 % lie rate under a 10 % audit, over 1,000 requests the share of its lies that
 * finalize unaudited follows the lottery (1 − 10 %), every audited lie is slashed and answered
 * right by another node (the simulation itself requires that no audited lie is ever final and that
 * no escrow is left), and over 50 seeds its first slash comes after about 1 / (20 % × 10 %) = 50
 * requests. contracts/README.md "What a lie risks" carries the figures.
 */
class LyingNodeSimForgeTest {
  private static final Pattern SIM =
      Pattern.compile("SIM ([^\\n]*?) (\\d+)\\s*$", Pattern.MULTILINE);

  @Test
  void liesEscapeAtTheAuditLotterysRateAndTheFirstSlashComesAfterAboutFiftyRequests()
      throws Exception {
    String log =
        ScaleGasForgeTest.forgeInScale(
            Map.of("FOUNDRY_PROFILE", "sim"), "--match-contract", "LyingNodeSim");
    assertThat(log).contains("2 passed");

    Map<String, Long> sim = new HashMap<>();
    Matcher m = SIM.matcher(log);
    while (m.find()) {
      sim.put(m.group(1), Long.parseLong(m.group(2)));
    }
    sim.forEach((k, v) -> System.out.printf("SIM %s: %,d%n", k, v));

    long lies = sim.get("lies");
    long escaped = sim.get("lies finalized unaudited");
    assertThat(sim.get("requests")).isEqualTo(1_000);
    assertThat(lies).as("about 20 %% of 1,000").isBetween(150L, 250L);
    assertThat((double) escaped / lies).as("escaped share vs 1 − 10 %%").isBetween(0.85, 0.95);
    assertThat(sim.get("lies audited and slashed")).isEqualTo(lies - escaped);
    assertThat(sim.get("escrow left (wei)")).isZero();
    double meanUntilSlash = sim.get("mean requests until the first slash (x100)") / 100.0;
    assertThat(meanUntilSlash).as("model: 1 / (0.2 × 0.1) = 50").isBetween(30.0, 80.0);
  }
}
