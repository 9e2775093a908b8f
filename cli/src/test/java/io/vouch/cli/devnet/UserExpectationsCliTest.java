package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import io.vouch.demo.DemoModel;
import io.vouch.hub.cid.Cid;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.VouchConfig;
import io.vouch.sdk.models.PushRequest;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, "missing, that a user expects", every call a {@code vouch} process against one devnet
 * (two nodes, a ten-minute challenge window so that nothing finalizes unless the test moves the
 * chain's clock): what a model takes and gives ({@code model show}, {@code model push --labels},
 * label names from {@code infer}); requirements instead of levels ({@code --level auto
 * --max-latency --max-fee-wei}, the planner saying why); the input checked against the schema
 * before any deposit or transaction; a request's life ({@code request show|settle|refund}); a
 * node's departure ({@code node unregister|withdraw}). The order matters: the later steps move the
 * chain's clock and stop nodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserExpectationsCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DEPOSIT = "100000000000000000";

  @TempDir static Path dir;
  static VouchProcess vouch;
  static DevnetState state;
  static Path intents;

  @BeforeAll
  static void up() throws Exception {
    vouch = new VouchProcess(dir);
    intents = dir.resolve("support-intents.onnx");
    Files.write(intents, DemoModel.build().onnx());
    ok(vouch.run("devnet", "up", "--nodes", "2", "--validators", "0", "--challenge-window", "10m"));
    state = DevnetState.read(dir.resolve(".vouch/devnet"));
    ok(vouch.run("model", "push", intents.toString(), "--name", "support-intents"));
  }

  @AfterAll
  static void down() {
    if (vouch != null) {
      if (state != null) {
        state.nodes().forEach(n -> signal("CONT", n.pid()));
      }
      vouch.run("devnet", "down");
    }
  }

  static Run ok(Run r) {
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  static Run fails(int code, Run r) {
    assertThat(r.code()).as(r.toString()).isEqualTo(code);
    assertThat(r.err()).as(r.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    return r;
  }

  static JsonNode json(Run r) throws Exception {
    return JSON.readTree(r.out());
  }

  @Test
  @Order(10)
  void modelShowPrintsInputsOutputsLabelsAndTheNodesWithTheirPrices() throws Exception {
    // The nodes pick a pushed model up within their poll interval.
    JsonNode shown = null;
    for (int i = 0; i < 120; i++) {
      shown = json(ok(vouch.run("model", "show", "support-intents@1", "--json")));
      if (shown.get("nodes").size() == 2) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(shown.get("nodes")).hasSize(2);
    assertThat(shown.at("/inputs/0/name").asText()).isEqualTo("features");
    assertThat(shown.at("/inputs/0/dtype").asText()).isEqualTo("float32");
    assertThat(shown.at("/inputs/0/shape").toString()).isEqualTo("[-1,512]");
    assertThat(shown.at("/outputs/0/name").asText()).isEqualTo("logits");
    assertThat(shown.at("/outputs/0/labels").toString()).contains("\"order_status\"");
    assertThat(shown.at("/nodes/0/priceWei").asText()).isEqualTo("1000000000000000");
    assertThat(shown.at("/nodes/0/levels/0").asText()).isEqualTo("VANILLA");

    Run text = ok(vouch.run("model", "show", "support-intents@1"));

    assertThat(text.out())
        .contains("input      features: float32 [N, 512]")
        .contains("output     logits: float32 [N, 8]")
        .contains("labels (8): ")
        .contains("order_status")
        .contains("matches the registry")
        .contains(state.nodes().get(0).address())
        .contains(state.nodes().get(1).address())
        .contains("1000000000000000 wei");
  }

  @Test
  @Order(20)
  void aLabelsFileIsWrittenIntoThePushedModelAndInferNamesThePredictedClass() throws Exception {
    Path mlp = dir.resolve("tiny.onnx");
    Files.write(mlp, TestModels.randomMlpOnnx(3, 4, 3));
    Path labels = dir.resolve("labels.txt");
    Files.writeString(labels, "cat\ndog\nbird\n");
    Path wrong = dir.resolve("two-labels.txt");
    Files.writeString(wrong, "cat\ndog\n");

    Run refused =
        fails(
            2,
            vouch.run(
                "model", "push", mlp.toString(), "--name", "tiny", "--labels", wrong.toString()));
    assertThat(refused.err()).contains("2 labels, but no output of the model has 2 classes");
    assertThat(fails(2, vouch.run("model", "show", "tiny")).err())
        .contains("no model named 'tiny'");

    JsonNode pushed =
        json(
            ok(
                vouch.run(
                    "model",
                    "push",
                    mlp.toString(),
                    "--name",
                    "tiny",
                    "--labels",
                    labels.toString(),
                    "--json")));
    assertThat(pushed.at("/outputs/0/labels").toString()).isEqualTo("[\"cat\",\"dog\",\"bird\"]");
    assertThat(pushed.get("cid").asText())
        .isNotEqualTo(Cid.ofBytes(Files.readAllBytes(mlp)).toString());

    String input = "{\"dtype\":\"float32\",\"shape\":[1,4],\"data\":[0.1,0.2,0.3,0.4]}";
    Run r = null;
    for (int i = 0; i < 120; i++) { // until a node serves the new model
      r =
          vouch.run(
              "infer",
              "--model",
              "tiny@1",
              "--input",
              input,
              "--deposit-wei",
              i == 0 ? DEPOSIT : "1",
              "--json");
      if (r.code() == 0) {
        break;
      }
      Thread.sleep(500);
    }
    JsonNode result = json(ok(r));
    assertThat(result.get("label").asText()).isIn("cat", "dog", "bird");
    assertThat(result.at("/labels/output/0").asText()).isEqualTo(result.get("label").asText());
  }

  @Test
  @Order(30)
  void inferPrintsTheOutputValuesTheIntentByNameAndWhyItChoseTheLevelAndNode() throws Exception {
    Run r =
        ok(
            vouch.run(
                "infer",
                "--model",
                "support-intents@1",
                "--text",
                "where is my order",
                "--deposit-wei",
                DEPOSIT));

    assertThat(r.out())
        .contains("level     VANILLA: the weakest level the model allows (it allows [VANILLA])")
        .contains("plan      node 0x")
        .contains("drawn at random, weighted by stake, among 2 nodes")
        .contains("output    float32 [1, 8] = [[")
        .contains("label     order_status")
        .doesNotContain("argmax");

    JsonNode j =
        json(
            ok(
                vouch.run(
                    "infer",
                    "--model",
                    "support-intents@1",
                    "--text",
                    "where is my order",
                    "--json")));
    assertThat(j.get("label").asText()).isEqualTo("order_status");
    assertThat(j.at("/plan/level").asText()).isEqualTo("VANILLA");
    assertThat(j.at("/plan/why").asText())
        .startsWith("VANILLA: the weakest level the model allows");
    assertThat(j.at("/plan/firstChoice").asText())
        .isIn(state.nodes().get(0).address(), state.nodes().get(1).address());
  }

  @Test
  @Order(25)
  void pushingANameAgainWithoutAVersionPublishesTheNextVersion() throws Exception {
    Path first = dir.resolve("twice-1.onnx");
    Files.write(first, TestModels.randomMlpOnnx(5, 4, 3));
    Path second = dir.resolve("twice-2.onnx");
    Files.write(second, TestModels.randomMlpOnnx(6, 4, 3));

    assertThat(ok(vouch.run("model", "push", first.toString(), "--name", "twice")).out())
        .contains("pushed twice@1");
    assertThat(ok(vouch.run("model", "push", second.toString(), "--name", "twice")).out())
        .contains("pushed twice@2");

    assertThat(ok(vouch.run("model", "list")).out()).contains("twice@1").contains("twice@2");
    assertThat(json(ok(vouch.run("model", "show", "twice", "--json"))).get("version").asInt())
        .isEqualTo(2);
  }

  /**
   * Load spreading on the direct path: each {@code vouch infer} process draws its node at random,
   * weighted by stake, among the nodes close to the best in price and latency; both nodes of this
   * devnet have the same price and stake, so repeated calls reach both (that 30 calls all reach one
   * node has a probability of 2⁻²⁹).
   */
  @Test
  @Order(35)
  void repeatedDirectInferencesReachBothNodesOfTheSamePrice() throws Exception {
    Set<String> answeredBy = new HashSet<>();
    for (int i = 0; i < 30 && answeredBy.size() < 2; i++) {
      JsonNode j =
          json(
              ok(
                  vouch.run(
                      "infer",
                      "--model",
                      "support-intents@1",
                      "--text",
                      "where is my order",
                      "--json")));
      assertThat(j.get("path").asText()).isEqualTo("direct");
      assertThat(j.at("/receipt/node").asText()).isEqualToIgnoringCase(j.get("node").asText());
      answeredBy.add(j.get("node").asText().toLowerCase(Locale.ROOT));
    }

    assertThat(answeredBy)
        .containsExactlyInAnyOrder(
            state.nodes().get(0).address().toLowerCase(Locale.ROOT),
            state.nodes().get(1).address().toLowerCase(Locale.ROOT));
  }

  @Test
  @Order(40)
  void requirementsChooseTheLevelAndNodesAndRefusalsSayWhichRequirementCannotBeMet() {
    Run auto =
        ok(
            vouch.run(
                "infer",
                "--model",
                "support-intents@1",
                "--text",
                "cancel my order",
                "--level",
                "auto",
                "--max-latency",
                "2s",
                "--max-fee-wei",
                "2000000000000000"));
    assertThat(auto.out()).contains("level     VANILLA: ").contains("label     ");

    Run tooCheap =
        fails(
            1,
            vouch.run(
                "infer", "--model", "support-intents@1", "--text", "hi", "--max-fee-wei", "10"));
    assertThat(tooCheap.err()).contains("cost more than 10 wei").contains("raise the fee limit");

    Run strong =
        fails(
            2,
            vouch.run(
                "infer",
                "--model",
                "support-intents@1",
                "--text",
                "hi",
                "--level",
                "zkml",
                "--json"));
    assertThat(strong.err())
        .contains("\"error\":\"UNSUPPORTED_LEVEL\"")
        .contains("the model allows [VANILLA]");

    Run unknown =
        fails(
            2,
            vouch.run("infer", "--model", "support-intents@1", "--text", "hi", "--level", "best"));
    assertThat(unknown.err()).contains("use one of auto, vanilla, tee, zkml");
  }

  @Test
  @Order(50)
  void anInputTheModelDoesNotTakeIsRefusedWithTheSchemaBeforeAnyDepositOrRequest()
      throws Exception {
    String wrongShape = "{\"dtype\":\"float32\",\"shape\":[1,4],\"data\":[1,2,3,4]}";

    Run direct =
        fails(
            2,
            vouch.run(
                "infer",
                "--model",
                "support-intents@1",
                "--input",
                wrongShape,
                "--deposit-wei",
                DEPOSIT));
    assertThat(direct.err())
        .contains("support-intents@1: input 'features' has shape [1, 4]")
        .contains("the model takes features: float32 [N, 512]")
        .contains("nothing was sent (no deposit, no request)");
    assertThat(direct.out()).isEmpty();

    Run onChain =
        fails(
            2,
            vouch.run(
                "infer",
                "--model",
                "support-intents@1",
                "--input",
                "{\"dtype\":\"int64\",\"shape\":[1,512],\"data\":[" + "0,".repeat(511) + "0]}",
                "--on-chain",
                "--json"));
    assertThat(JSON.readTree(onChain.err()).get("error").asText()).isEqualTo("BAD_INPUT");
    assertThat(onChain.err()).contains("is int64 but the model expects float32");
    assertThat(onChain.out()).isEmpty();

    Run named =
        fails(
            2,
            vouch.run("infer", "--model", "support-intents@1", "--input", "words=" + wrongShape));
    assertThat(named.err())
        .contains("unknown input 'words'; the model takes features: float32 [N, 512]");

    // No on-chain request was made: the hub has none yet.
    assertThat(fails(2, vouch.run("request", "show", "1")).err()).contains("no request 1");
  }

  @Test
  @Order(60)
  void anOnChainRequestIsShownRefusedARefundSettledOnlyAfterItsWindowAndThenFinal()
      throws Exception {
    JsonNode result =
        json(
            ok(
                vouch.run(
                    "infer",
                    "--model",
                    "support-intents@1",
                    "--text",
                    "i want my money back",
                    "--on-chain",
                    "--fast",
                    "--json")));
    String id = result.get("requestId").asText();
    assertThat(result.get("finality").asText()).isEqualTo("SUBMITTED");
    assertThat(result.get("label").asText()).isNotBlank();

    JsonNode shown = json(ok(vouch.run("request", "show", id, "--json")));
    assertThat(shown.get("state").asText()).isEqualTo("SUBMITTED");
    assertThat(shown.get("model").asText()).isEqualTo("support-intents@1");
    assertThat(shown.get("node").asText()).isEqualTo(result.get("node").asText());
    assertThat(shown.get("outputHash").asText()).startsWith("0x");
    assertThat(shown.get("finality").asText()).isEqualTo("SUBMITTED");
    assertThat(shown.get("maxFeeWei").asText()).isEqualTo("10000000000000000");
    assertThat(kinds(shown)).containsExactly("requested", "assigned", "submitted");
    assertThat(shown.at("/transactions/0/tx").asText()).isEqualTo(result.get("requestTx").asText());
    assertThat(ok(vouch.run("request", "show", id)).out())
        .contains("request #" + id + "  SUBMITTED")
        .contains("SUBMITTED, not final: can be challenged until chain time");

    Run refund = fails(2, vouch.run("request", "refund", id));
    assertThat(refund.err())
        .contains("has a result (SUBMITTED), so it is not refunded")
        .contains("vouch request settle " + id);

    Run early = fails(1, vouch.run("request", "settle", id, "--json"));
    assertThat(JSON.readTree(early.err()).get("error").asText()).isEqualTo("TOO_EARLY");
    assertThat(early.err()).contains("challenge window is open until chain time");

    passChainTime(601);
    // The node finalizes its own results too; whoever is first, the request ends FINALIZED.
    Run settled = ok(vouch.run("request", "settle", id));
    assertThat(settled.out())
        .containsAnyOf("finalized: the node and the model owner are paid", "already FINALIZED");
    JsonNode after = json(ok(vouch.run("request", "show", id, "--json")));
    assertThat(after.get("state").asText()).isEqualTo("FINALIZED");
    assertThat(kinds(after)).contains("finalized");
  }

  @Test
  @Order(70)
  void aRequestNoNodeAnswersIsReassignedThenRefundedFromTheCli() throws Exception {
    state.nodes().forEach(n -> signal("STOP", n.pid()));
    try {
      Run waited =
          fails(
              1,
              vouch.run(
                  "infer",
                  "--model",
                  "support-intents@1",
                  "--text",
                  "hello",
                  "--on-chain",
                  "--timeout",
                  "2s"));
      Matcher m = Pattern.compile("requested  #(\\d+)").matcher(waited.out());
      assertThat(m.find()).as(waited.toString()).isTrue();
      String id = m.group(1);
      assertThat(waited.err())
          .contains("vouch request show " + id)
          .contains("vouch request settle " + id);

      Run early = fails(1, vouch.run("request", "refund", id));
      assertThat(early.err())
          .contains("until its deadline, chain time")
          .contains("the node may still deliver");

      passChainTime(601);
      Run reassigned = ok(vouch.run("request", "refund", id));
      assertThat(reassigned.out()).contains("reassigned to 0x").contains("attempt 2 of 3");

      passChainTime(601);
      Run refunded = ok(vouch.run("request", "refund", id, "--json"));
      JsonNode j = json(refunded);
      assertThat(j.get("action").asText()).isEqualTo("refunded");
      assertThat(j.at("/request/state").asText()).isEqualTo("REFUNDED");
      assertThat(kinds(j.get("request")))
          .containsSubsequence("requested", "assigned", "assigned", "refunded");
      assertThat(ok(vouch.run("request", "settle", id)).out())
          .contains("nothing to do: it is already REFUNDED");
    } finally {
      state.nodes().forEach(n -> signal("CONT", n.pid()));
    }
  }

  @Test
  @Order(80)
  void aNodeUnregistersIsNoLongerOfferedAndWithdrawsItsStakeAfterTheDelay() throws Exception {
    DevnetState.NodeProcess leaving = state.nodes().get(0);

    Run noKey = fails(2, vouch.run("node", "unregister"));
    assertThat(noKey.err()).contains("--key is required");
    Run notLeaving = fails(2, vouch.run("node", "withdraw", "--key", leaving.key()));
    assertThat(notLeaving.err())
        .contains("has not asked to leave")
        .contains("vouch node unregister");

    Run unregistered = ok(vouch.run("node", "unregister", "--key", leaving.key()));
    assertThat(unregistered.out())
        .contains("node " + leaving.address() + " is unbonding")
        .contains("withdrawable from chain time");
    assertThat(ok(vouch.run("node", "unregister", "--key", leaving.key())).out())
        .contains("was already unbonding");

    JsonNode shown = json(ok(vouch.run("model", "show", "support-intents@1", "--json")));
    assertThat(shown.get("nodes").findValuesAsText("node"))
        .containsExactly(state.nodes().get(1).address());

    Run early = fails(1, vouch.run("node", "withdraw", "--key", leaving.key(), "--json"));
    assertThat(JSON.readTree(early.err()).get("error").asText()).isEqualTo("TOO_EARLY");
    assertThat(early.err()).contains("can be withdrawn from chain time");

    passChainTime(86_401);
    JsonNode withdrawn = json(ok(vouch.run("node", "withdraw", "--key", leaving.key(), "--json")));
    assertThat(new BigInteger(withdrawn.get("amountWei").asText()))
        .isEqualTo(BigInteger.TEN.pow(18));
    assertThat(withdrawn.get("tx").asText()).startsWith("0x");

    Run again = fails(2, vouch.run("node", "withdraw", "--key", leaving.key()));
    assertThat(again.err())
        .contains("is registered in the NodeRegistry")
        .contains("already withdrawn");
  }

  @Test
  @Order(15)
  void theSchemaIsReadFromTheModelFileOnTheHubAndCachedAndWithoutAHubNothingIsSentOnChain()
      throws Exception {
    Path cache = dir.resolve(".cache/vouch/signatures");
    deleteTree(cache); // model push filled it; a user who did not push fetches from the hub

    JsonNode shown = json(ok(vouch.run("model", "show", "support-intents@1", "--json")));

    assertThat(shown.at("/inputs/0/name").asText()).isEqualTo("features");
    assertThat(shown.at("/outputs/0/labels/1").asText()).isNotBlank();
    assertThat(cache.resolve(shown.get("cid").asText() + ".json")).exists();

    deleteTree(cache);
    String deployment = dir.resolve(".vouch/devnet/deployment.json").toString();
    Run noHub =
        ok(
            vouch.run(
                "model",
                "show",
                "support-intents@1",
                "--rpc",
                state.rpcUrl(),
                "--deployment",
                deployment));
    assertThat(noHub.out())
        .contains("inputs and outputs unknown: no model hub to fetch the model file from")
        .contains("--model-hub");

    // An on-chain request with an unchecked input could cost its gas and hold the fee.
    Run onChain =
        fails(
            1,
            vouch.run(
                "infer",
                "--model",
                "support-intents@1",
                "--text",
                "hi",
                "--on-chain",
                "--rpc",
                state.rpcUrl(),
                "--deployment",
                deployment,
                "--key",
                state.userKey()));
    assertThat(onChain.err())
        .contains("the input cannot be checked against the schema of support-intents@1")
        .contains("nothing was sent");
    assertThat(onChain.out()).isEmpty();
  }

  @Test
  @Order(16)
  void aModelWhoseFileDoesNotHashToTheRegistrysSchemaIsRefusedBeforeAnyDeposit() throws Exception {
    Path file = dir.resolve("liar.onnx");
    Files.write(file, TestModels.randomMlpOnnx(5, 4, 3));
    VouchConfig config =
        VouchConfig.of(state.rpcUrl(), state.deployment().toDeployment())
            .withHubs(URI.create(state.modelHubUrl()))
            .withKey(Bytes32.fromHex(state.userKey()));
    try (VouchClient publisher = VouchClient.connect(config)) {
      publisher
          .models()
          .push(
              file, PushRequest.vanilla("liar", 1, BigInteger.ZERO, Keccak.hash("not its schema")));
    }

    Run shown = fails(2, vouch.run("model", "show", "liar@1", "--json"));
    assertThat(JSON.readTree(shown.err()).get("error").asText()).isEqualTo("INVALID_MODEL");
    assertThat(shown.err()).contains("but the registry records");

    Run infer =
        fails(
            2,
            vouch.run(
                "infer",
                "--model",
                "liar@1",
                "--input",
                "{\"dtype\":\"float32\",\"shape\":[1,4],\"data\":[1,2,3,4]}",
                "--deposit-wei",
                DEPOSIT));
    assertThat(infer.err()).contains("liar@1 has schema hash").contains("nodes refuse to serve it");
    assertThat(infer.out()).isEmpty();
  }

  static void deleteTree(Path root) throws Exception {
    if (!Files.exists(root)) {
      return;
    }
    try (var files = Files.walk(root)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static List<String> kinds(JsonNode request) {
    List<String> kinds = new ArrayList<>();
    request.get("transactions").forEach(t -> kinds.add(t.get("kind").asText()));
    return kinds;
  }

  /** Moves the devnet chain's clock forward and mines a block (anvil's evm_increaseTime). */
  static void passChainTime(long seconds) throws Exception {
    rpc("evm_increaseTime", "[" + seconds + "]");
    rpc("evm_mine", "[]");
  }

  static void rpc(String method, String params) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(state.rpcUrl()))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\""
                                + method
                                + "\",\"params\":"
                                + params
                                + "}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).doesNotContain("\"error\"");
  }

  /** SIGSTOP / SIGCONT to a node process this test's devnet started. */
  static void signal(String signal, long pid) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    } catch (Exception e) {
      throw new IllegalStateException("kill -" + signal + " " + pid + " failed", e);
    }
  }
}
