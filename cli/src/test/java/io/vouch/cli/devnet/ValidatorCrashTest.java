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
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Crash faults of validators that are separate processes: a devnet of one inference node and 3
 * validator processes, one of which is killed with SIGKILL (and kept down) before a ZKML request.
 * The court still draws it (it is registered and staked), its seat stays silent, and the other two
 * reach the 2-of-3 quorum. The hub's and the court's books balance.
 */
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
