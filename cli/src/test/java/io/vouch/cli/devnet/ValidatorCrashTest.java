package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.court.CourtCase;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.VouchConfig;
import io.vouch.sdk.onchain.OnChainOptions;
import io.vouch.sdk.onchain.OnChainRequest;
import io.vouch.sdk.onchain.OnChainResult;
import io.vouch.sdk.onchain.OnChainVerification;
import io.vouch.sdk.onchain.RequestRecord;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Crash faults of validators that are separate processes: a devnet of one inference node and 3
 * validator processes, one of which is killed with SIGKILL (and kept down) before a ZKML request.
 * The court still draws it (it is registered and staked), its seat stays silent, and the other two
 * reach the 2-of-3 quorum. Then a second one is killed: the committee cannot reach its quorum, the
 * round expires and is redrawn without the silent members, which leaves too few validators, so the
 * court falls back: the ZKML request is refunded, the audited VANILLA result finalizes by its
 * challenge window. Nothing escrowed is stuck; the hub's and the court's books balance after each.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ValidatorCrashTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static DevnetSupervisor devnet;
  static DevnetState state;
  static VouchProcess vouch;

  @BeforeAll
  static void startDevnet() throws Exception {
    devnet =
        new DevnetSupervisor(
                dir.resolve("devnet"),
                1,
                Duration.ofSeconds(5),
                m -> System.out.println("devnet: " + m))
            .withValidators(3);
    state = devnet.start();
    vouch = new VouchProcess(dir);
    Path model = Files.write(dir.resolve("zk.onnx"), TestModels.randomMlpOnnx(5, 32, 16, 4));
    ok(
        run(
            "model",
            "push",
            model.toString(),
            "--name",
            "zk",
            "--levels",
            "vanilla,zkml",
            "--min-agreement",
            "0.9"));
  }

  @AfterAll
  static void stopDevnet() {
    if (devnet != null) {
      devnet.close();
    }
  }

  static Run run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--devnet";
    all[args.length + 1] = dir.resolve("devnet").toString();
    return vouch.run(all);
  }

  static Run ok(Run r) {
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  @Test
  @Order(1)
  void aValidatorKilledWithSigkillStaysSilentAndTheOtherTwoStillReachTheQuorum() throws Exception {
    String input =
        "{\"dtype\":\"float32\",\"shape\":[1,32],\"data\":["
            + String.join(",", Collections.nCopies(32, "0.5"))
            + "]}";

    ok(
        vouch.run(
            "devnet",
            "status",
            "--dir",
            dir.resolve("devnet").toString(),
            "--await-model",
            "zk@1"));
    // the devnet is up and the node serves the model; now the first validator dies (SIGKILL,
    // held down: no restart) while it is registered and staked, so the court still draws it
    String killed = state.validators().getFirst().address();
    devnet.killNode(state.nodes().size());

    JsonNode r =
        JSON.readTree(
            ok(run(
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
                    "--json"))
                .out());

    assertThat(r.get("finality").asText()).isEqualTo("FINALIZED");
    JsonNode c = r.at("/onChainVerification/cases/0");
    assertThat(c.get("state").asText()).isEqualTo("VALID");
    assertThat(c.get("round").asInt()).as("no redraw was needed").isEqualTo(1);
    assertThat(c.get("committee")).hasSize(3);
    for (JsonNode seat : c.get("committee")) {
      boolean dead = seat.get("member").asText().equals(killed);
      assertThat(seat.get("voted").asBoolean()).as(seat.toString()).isEqualTo(!dead);
    }
    assertBooksBalanced();
  }

  @Test
  @Order(2)
  void withTwoOfThreeKilledTheRoundIsRedrawnThenZkmlIsRefundedAndVanillaFallsBackToItsWindow()
      throws Exception {
    Path model = dir.resolve("zk.onnx");
    ok(
        run(
            "model",
            "push",
            model.toString(),
            "--name",
            "audited",
            "--levels",
            "vanilla",
            "--audit-rate",
            "100%"));
    devnet.killNode(state.nodes().size() + 1); // the second validator; the first is down already

    VouchDeployment d = VouchDeployment.readFrom(DevnetState.deploymentFile(dir.resolve("devnet")));
    float[] x = new float[32];
    java.util.Arrays.fill(x, 0.75f);
    Tensor input = Tensor.ofFloats(new int[] {1, 32}, x);
    BigInteger maxFee = new BigInteger("10000000000000000");
    try (VouchClient client =
        VouchClient.connect(
            VouchConfig.of(state.rpcUrl(), d)
                .withHubs(URI.create(state.modelHubUrl()))
                .withKey(Bytes32.fromHex(state.userKey())))) {
      // (devnet status --await-model would exit 1 now: it reports the killed validators as down)
      long served = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (client.candidates("audited@1", VerificationLevel.VANILLA).isEmpty()
          && System.nanoTime() < served) {
        Thread.sleep(200);
      }
      OnChainRequest zk =
          client.inferOnChain(
              "zk@1", input, OnChainOptions.defaults(maxFee).withLevel(VerificationLevel.ZKML));
      OnChainRequest vanilla =
          client.inferOnChain(
              "audited@1",
              input,
              OnChainOptions.defaults(maxFee).withLevel(VerificationLevel.VANILLA));

      // ZKML: no quorum in the first round, none possible in the redraw: refunded
      OnChainVerification zv = awaitState(client, zk.requestId(), RequestRecord.State.REFUNDED);
      CourtCase zc = zv.cases().getFirst();
      assertThat(zc.state()).as(zc.toString()).isEqualTo(CourtCase.State.RELEASED);
      assertThat(zc.round()).as("the expired round was redrawn").isEqualTo(1);
      assertThat(zv.summary()).contains("released");

      // VANILLA, selected for audit: released likewise, then final by its challenge window
      OnChainResult v = client.awaitResult(vanilla, Duration.ofSeconds(300));
      assertThat(v.finality().name()).isEqualTo("FINALIZED");
      CourtCase vc = v.verification().orElseThrow().cases().getFirst();
      assertThat(vc.kind()).isEqualTo(CourtCase.Kind.AUDIT);
      assertThat(vc.state()).as(vc.toString()).isEqualTo(CourtCase.State.RELEASED);
      assertThat(vc.round()).as("the expired round was redrawn").isEqualTo(1);
      assertThat(client.verification(vanilla.requestId()).summary())
          .contains("no verification quorum after 2 rounds, released");
    }
    assertBooksBalanced();
  }

  /** Polls the request until it reaches {@code wanted} (at most 5 minutes). */
  private static OnChainVerification awaitState(
      VouchClient client, BigInteger requestId, RequestRecord.State wanted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    OnChainVerification v = client.verification(requestId);
    while (v.state() != wanted && System.nanoTime() < deadline) {
      Thread.sleep(500);
      v = client.verification(requestId);
    }
    assertThat(v.state()).as(v.summary()).isEqualTo(wanted);
    return v;
  }

  private static void assertBooksBalanced() throws Exception {
    VouchDeployment d = VouchDeployment.readFrom(DevnetState.deploymentFile(dir.resolve("devnet")));
    Web3j web3j = Web3j.build(new HttpService(state.rpcUrl()));
    try {
      TransactionSender reader = TransactionSender.create(web3j, Bytes32.fromHex(state.userKey()));
      assertThat(d.inferenceHub(reader).isBalanced().send()).isTrue();
      assertThat(d.inferenceHub(reader).totalEscrowed().send()).isEqualTo(BigInteger.ZERO);
      assertThat(d.verificationCourt(reader).isBalanced().send()).isTrue();
    } finally {
      web3j.shutdown();
    }
  }
}
