package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import io.vouch.onnx.testmodels.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vouch devnet up}, {@code down}, {@code up} again, as a user types them: the second chain
 * is a new one (anvil deploys the same addresses at the same block numbers), and it just works —
 * the devnet starts its nodes with fresh journals, so a node neither resumes from the old chain's
 * checkpoint nor carries its receipt numbers over. A node started by hand on the old chain's
 * journal refuses, naming the fix.
 */
class DevnetRestartTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String INPUT = "{\"dtype\":\"float32\",\"shape\":[1,4],\"data\":[1,2,3,4]}";

  @TempDir static Path dir;
  static VouchProcess vouch;
  static Path model;
  static Path oldNodeData;
  static long firstSequenceOnTheFirstChain;

  @BeforeAll
  static void upDownUp() throws Exception {
    vouch = new VouchProcess(dir);
    model = dir.resolve("restart.onnx");
    Files.write(model, TestModels.randomMlpOnnx(3, 4, 3, 2));

    ok(vouch.run("devnet", "up", "--nodes", "1", "--validators", "0"));
    ok(vouch.run("model", "push", model.toString(), "--name", "restart"));
    firstSequenceOnTheFirstChain = sequence(awaitServed("restart@1"));
    JsonNode onChain =
        JSON.readTree(
            ok(vouch.run("infer", "--model", "restart@1", "--input", INPUT, "--on-chain", "--json"))
                .out());
    assertThat(onChain.get("finality").asText()).isEqualTo("FINALIZED");
    ok(vouch.run("devnet", "down"));
    oldNodeData = dir.resolve("old-node-0");
    copyTree(dir.resolve(".vouch/devnet/node-0"), oldNodeData);

    ok(vouch.run("devnet", "up", "--nodes", "1", "--validators", "0"));
  }

  @AfterAll
  static void down() {
    if (vouch != null) {
      vouch.run("devnet", "down");
    }
  }

  static Run ok(Run r) {
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  static JsonNode awaitServed(String ref) throws Exception {
    Run r = null;
    for (int i = 0; i < 60; i++) {
      r =
          vouch.run(
              "infer",
              "--model",
              ref,
              "--input",
              INPUT,
              "--json",
              "--deposit-wei",
              i == 0 ? "10000000000000000" : "1");
      if (r.code() == 0) {
        return JSON.readTree(r.out());
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no node served " + ref + ": " + r);
  }

  static long sequence(JsonNode directResult) {
    return directResult.at("/receipt/sequence").asLong();
  }

  @Test
  void onChainInferenceFinalizesOnTheNewChain() throws Exception {
    Run push = ok(vouch.run("model", "push", model.toString(), "--name", "restart"));
    assertThat(push.out()).as("a new chain: the first version again").contains("pushed restart@1");
    JsonNode direct = awaitServed("restart@1");

    Run r =
        ok(vouch.run("infer", "--model", "restart@1", "--input", INPUT, "--on-chain", "--json"));

    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("finality").asText()).isEqualTo("FINALIZED");
    assertThat(j.get("finalizeTx").asText()).startsWith("0x");
    assertThat(sequence(direct))
        .as("receipt numbers start over on a new deployment")
        .isEqualTo(firstSequenceOnTheFirstChain);
  }

  @Test
  void aNodeStartedOnTheOldChainsJournalRefusesNamingTheFix() throws Exception {
    JsonNode state = JSON.readTree(dir.resolve(".vouch/devnet/devnet.json").toFile());

    Run r =
        vouch.run(
            "node",
            "run",
            "--key",
            state.get("userKey").asText(),
            "--rpc",
            state.get("rpcUrl").asText(),
            "--deployment",
            dir.resolve(".vouch/devnet/deployment.json").toString(),
            "--data-dir",
            oldNodeData.toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .contains("belongs to another deployment")
        .contains("--data-dir")
        .contains("move " + oldNodeData + " aside");
    assertThat(r.err()).doesNotContain("Exception");
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }
}
