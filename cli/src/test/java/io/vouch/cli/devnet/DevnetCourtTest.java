package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import io.vouch.core.Bytes32;
import io.vouch.onnx.testmodels.TestModels;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * {@code vouch devnet up} with its default validators, as a user types it, twice in a row: the
 * VerificationCourt sits, a ZKML request made with {@code vouch infer --on-chain} is finalized by
 * the validators' VALID quorum, and {@code vouch infer} and {@code vouch request show} say so
 * (committee, verdicts, quorum); the hub's and the court's books balance; {@code devnet down} stops
 * everything.
 */
class DevnetCourtTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  VouchProcess vouch;

  @AfterEach
  void down() {
    if (vouch != null) {
      vouch.run("devnet", "down");
    }
  }

  static Run ok(Run r) {
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  @Test
  void aZkmlRequestIsFinalizedByTheDefaultValidatorsQuorumOnEachOfTwoDevnetsInARow()
      throws Exception {
    vouch = new VouchProcess(dir);
    Path model = Files.write(dir.resolve("zk.onnx"), TestModels.randomMlpOnnx(5, 32, 16, 4));
    String input =
        "{\"dtype\":\"float32\",\"shape\":[1,32],\"data\":["
            + String.join(",", Collections.nCopies(32, "0.25"))
            + "]}";
    for (int run = 1; run <= 2; run++) {
      Run up = ok(vouch.run("devnet", "up", "--nodes", "1"));
      assertThat(up.out())
          .contains("validator 3/3 ready")
          .contains("VerificationCourt in session: 3 validators");
      JsonNode state = JSON.readTree(dir.resolve(".vouch/devnet/devnet.json").toFile());
      assertThat(state.get("validators")).hasSize(3);

      ok(
          vouch.run(
              "model",
              "push",
              model.toString(),
              "--name",
              "zk",
              "--levels",
              "vanilla,zkml",
              "--min-agreement",
              "0.9"));
      ok(vouch.run("devnet", "status", "--await-model", "zk@1"));

      Run infer =
          ok(
              vouch.run(
                  "infer",
                  "--model",
                  "zk@1",
                  "--input",
                  input,
                  "--level",
                  "zkml",
                  "--on-chain",
                  "--timeout",
                  "180s",
                  "--json"));
      JsonNode r = JSON.readTree(infer.out());
      assertThat(r.get("finality").asText()).as("run " + run).isEqualTo("FINALIZED");
      assertThat(r.get("verified").asText()).startsWith("checked by this client: proof verified");
      JsonNode v = r.get("onChainVerification");
      assertThat(v.get("routed").asBoolean()).isTrue();
      assertThat(v.get("decidedByQuorum").asBoolean()).as(v.toString()).isTrue();
      JsonNode c = v.get("cases").get(0);
      assertThat(c.get("kind").asText()).isEqualTo("ZKML");
      assertThat(c.get("state").asText()).isEqualTo("VALID");
      assertThat(c.get("committee")).hasSize(3);
      assertThat(c.get("verdictsCast").asInt()).isGreaterThanOrEqualTo(2);
      assertThat(c.get("committee").findValuesAsText("member"))
          .as("the executing node never judges itself")
          .doesNotContain(r.get("node").asText())
          .isSubsetOf(state.get("validators").findValuesAsText("address"));

      Run show = ok(vouch.run("request", "show", r.get("requestId").asText()));
      assertThat(show.out())
          .contains("FINALIZED")
          .contains("ZKML proof: verified VALID by ")
          .contains("quorum 66.66 % of committee stake reached")
          .containsPattern("member 0x[0-9a-f]{40} +stake 1000000000000000000 wei +VALID");

      if (run == 1) {
        aVanillaModelAuditedAtEveryResultIsConfirmedByACommittee(model, input);
      }

      assertBooksBalanced(state);
      Run down = ok(vouch.run("devnet", "down"));
      assertThat(down.out()).contains("3 validator(s)");
      assertThat(dir.resolve(".vouch/devnet/devnet.json")).doesNotExist();
    }
  }

  /**
   * The model owner's audit terms at push: every VANILLA result of this version is re-executed by a
   * committee, compared exactly; the result is confirmed VALID by the quorum and final at once.
   */
  private void aVanillaModelAuditedAtEveryResultIsConfirmedByACommittee(Path model, String input)
      throws Exception {
    Run push =
        ok(
            vouch.run(
                "model",
                "push",
                model.toString(),
                "--name",
                "audited",
                "--audit-rate",
                "100%",
                "--tolerance",
                "argmax:0.001",
                "--json"));
    JsonNode pushed = JSON.readTree(push.out());
    assertThat(pushed.get("audit").get("rateBps").asInt()).isEqualTo(10_000);
    assertThat(pushed.get("audit").get("tolerance").asText()).isEqualTo("argmax:0.001");
    assertThat(ok(vouch.run("model", "show", "audited@1")).out())
        .contains(
            "audits     100 % of VANILLA results re-executed by a validator committee, compared"
                + " by argmax and max |Δ| ≤ 0.001");
    ok(vouch.run("devnet", "status", "--await-model", "audited@1"));

    Run infer =
        ok(
            vouch.run(
                "infer",
                "--model",
                "audited@1",
                "--input",
                input,
                "--level",
                "vanilla",
                "--on-chain",
                "--timeout",
                "180s",
                "--json"));
    JsonNode r = JSON.readTree(infer.out());
    assertThat(r.get("finality").asText()).isEqualTo("FINALIZED");
    JsonNode c = r.get("onChainVerification").get("cases").get(0);
    assertThat(c.get("kind").asText()).as(r.toString()).isEqualTo("AUDIT");
    assertThat(c.get("state").asText()).isEqualTo("VALID");
    assertThat(c.get("auditRateBps").asInt()).isEqualTo(10_000);
    assertThat(ok(vouch.run("request", "show", r.get("requestId").asText())).out())
        .contains("selected for audit (rate 100 %): verified VALID by ");
  }

  @Test
  void auditTermsThatCannotApplyAreRefusedBeforeAnythingIsPublished() {
    vouch = new VouchProcess(dir);
    Path model = dir.resolve("m.onnx");
    try {
      Files.write(model, TestModels.randomMlpOnnx(5, 4, 4, 2));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    record Case(String why, String[] args) {}
    for (Case c :
        new Case[] {
          new Case(
              "--audit-rate: the audit rate '150%' is not a rate from 0 % to 100 %",
              new String[] {"--audit-rate", "150%"}),
          new Case("--audit-rate: the audit rate 'often'", new String[] {"--audit-rate", "often"}),
          new Case(
              "--tolerance: unknown tolerance 'close'; use exact",
              new String[] {"--tolerance", "close"}),
          new Case(
              "--audit-rate applies to VANILLA results and --levels tee has no vanilla",
              new String[] {"--audit-rate", "10%", "--levels", "tee"})
        }) {
      java.util.List<String> args =
          new java.util.ArrayList<>(
              java.util.List.of("model", "push", model.toString(), "--name", "m"));
      args.addAll(java.util.List.of(c.args()));
      Run r = vouch.run(args.toArray(String[]::new));
      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.err()).contains(c.why()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void oneOrTwoValidatorsAreRefusedNamingWhatTheCourtNeeds() {
    vouch = new VouchProcess(dir);

    Run r = vouch.run("devnet", "up", "--validators", "2", "--dir", dir.resolve("d").toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .contains("--validators must be 0 (no court) or 3 to 8")
        .doesNotContain("Exception");
    assertThat(dir.resolve("d/devnet.json")).doesNotExist();
  }

  /** Nothing escrowed is left and both contracts hold exactly what their books say. */
  private void assertBooksBalanced(JsonNode state) throws Exception {
    VouchDeployment d = VouchDeployment.readFrom(dir.resolve(".vouch/devnet/deployment.json"));
    Web3j web3j = Web3j.build(new HttpService(state.get("rpcUrl").asText()));
    try {
      TransactionSender reader =
          TransactionSender.create(web3j, Bytes32.fromHex(state.get("deployerKey").asText()));
      assertThat(d.inferenceHub(reader).isBalanced().send()).isTrue();
      assertThat(d.inferenceHub(reader).totalEscrowed().send()).isEqualTo(BigInteger.ZERO);
      assertThat(d.verificationCourt(reader).isBalanced().send()).isTrue();
    } finally {
      web3j.shutdown();
    }
  }
}
