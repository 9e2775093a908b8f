package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.court.CourtCase;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.VouchConfig;
import io.vouch.sdk.onchain.OnChainOptions;
import io.vouch.sdk.onchain.OnChainRequest;
import io.vouch.sdk.onchain.OnChainResult;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * {@code vouch devnet up --faulty-nodes 1} with its default 3 validators: the faulty node is listed
 * as such, a ZKML request assigned to it (it is the request's preferred node) is voted INVALID by
 * the court, the node loses its stake, and the request is answered and finalized by the honest
 * node; the books balance and {@code devnet down} stops the faulty node too.
 */
class DevnetFaultyNodeTest {
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
  void aZkmlRequestAssignedToTheFaultyNodeIsVotedInvalidSlashedAndAnsweredByAnotherNode()
      throws Exception {
    vouch = new VouchProcess(dir);
    Path model = Files.write(dir.resolve("zk.onnx"), TestModels.randomMlpOnnx(5, 32, 16, 4));

    Run up =
        ok(vouch.run("devnet", "up", "--nodes", "1", "--faulty-nodes", "1", "--faulty-share", "1"));
    assertThat(up.out())
        .contains("faulty node 1/1 ready")
        .contains("FAULTY: wrong outputs for 100 %");
    JsonNode status = JSON.readTree(ok(vouch.run("devnet", "status", "--json")).out());
    JsonNode nodes = status.get("nodes");
    assertThat(nodes).hasSize(2);
    assertThat(nodes.get(0).has("faulty")).isFalse();
    assertThat(nodes.get(1).get("faulty").asBoolean()).isTrue();
    assertThat(nodes.get(1).get("faultyShare").asDouble()).isEqualTo(1.0);
    Address honest = Address.fromHex(nodes.get(0).get("address").asText());
    Address faulty = Address.fromHex(nodes.get(1).get("address").asText());
    assertThat(ok(vouch.run("devnet", "status")).out()).contains("FAULTY");

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

    JsonNode state = JSON.readTree(dir.resolve(".vouch/devnet/devnet.json").toFile());
    VouchDeployment d = VouchDeployment.readFrom(dir.resolve(".vouch/devnet/deployment.json"));
    String rpc = state.get("rpcUrl").asText();
    Web3j web3j = Web3j.build(new HttpService(rpc));
    try {
      NodeRegistryClient registry = NodeRegistryClient.readOnly(web3j, d);
      BigInteger stakeBefore = registry.nodeInfo(faulty).stakeWei();
      assertThat(stakeBefore).isPositive();

      float[] x = new float[32];
      Arrays.fill(x, 0.25f);
      OnChainResult r;
      try (VouchClient client =
          VouchClient.connect(
              VouchConfig.of(rpc, d)
                  .withHubs(URI.create(state.get("modelHubUrl").asText()))
                  .withKey(Bytes32.fromHex(state.get("userKey").asText())))) {
        OnChainRequest h =
            client.inferOnChain(
                "zk@1",
                Tensor.ofFloats(new int[] {1, 32}, x),
                OnChainOptions.defaults(new BigInteger("10000000000000000"))
                    .withLevel(VerificationLevel.ZKML)
                    .withPreferredNode(faulty));
        r = client.awaitResult(h, Duration.ofSeconds(300));
      }

      List<CourtCase> cases = r.verification().orElseThrow().cases();
      assertThat(cases).as(cases.toString()).hasSize(2);
      assertThat(cases.get(0).node()).isEqualTo(faulty);
      assertThat(cases.get(0).kind()).isEqualTo(CourtCase.Kind.ZKML);
      assertThat(cases.get(0).state()).isEqualTo(CourtCase.State.INVALID);
      assertThat(cases.get(1).node()).isEqualTo(honest);
      assertThat(cases.get(1).state()).isEqualTo(CourtCase.State.VALID);
      assertThat(r.node()).isEqualTo(honest);
      assertThat(r.verification().get().state().name()).isEqualTo("FINALIZED");
      assertThat(r.proofVerification().orElseThrow()).contains("proof verified");

      BigInteger stakeAfter = registry.nodeInfo(faulty).stakeWei();
      assertThat(stakeAfter)
          .as("slashed by the devnet's slashAmount, 1 ETH (contracts/README.md)")
          .isEqualTo(stakeBefore.subtract(new BigInteger("1000000000000000000")));
      assertThat(registry.nodeInfo(honest).stakeWei()).isEqualTo(stakeBefore);

      TransactionSender reader =
          TransactionSender.create(web3j, Bytes32.fromHex(state.get("deployerKey").asText()));
      assertThat(d.inferenceHub(reader).isBalanced().send()).isTrue();
      assertThat(d.inferenceHub(reader).totalEscrowed().send()).isEqualTo(BigInteger.ZERO);
      assertThat(d.verificationCourt(reader).isBalanced().send()).isTrue();
    } finally {
      web3j.shutdown();
    }

    long faultyPid = state.get("nodes").get(1).get("pid").asLong();
    Run down = ok(vouch.run("devnet", "down"));
    assertThat(down.out()).contains("stopped 2 node(s)");
    assertThat(ProcessHandle.of(faultyPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    vouch = null;
  }
}
