package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.events.HubEvent;
import io.vouch.chain.events.HubEventWatcher;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.ModelId;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.Tensor;
import io.vouch.hub.http.HubClient;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.testmodels.TestModels;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/**
 * Crash faults on a devnet whose nodes are separate processes: a node killed with SIGKILL loses
 * nothing — its request is reassigned or refunded, a restarted node resumes from its journal, and
 * no result is ever submitted twice. The hub's books balance after every scenario.
 */
class NodeCrashTest {
  static final BigInteger ETH = BigInteger.TEN.pow(18);
  static final int IN = 5;

  @TempDir static Path dir;
  static DevnetSupervisor devnet;
  static DevnetState state;
  static Web3j web3j;
  static TransactionSender user;
  static VouchDeployment deployment;
  static Bytes32 modelId = ModelId.of("crash-mlp", 1);

  @BeforeAll
  static void startDevnet() throws Exception {
    devnet =
        new DevnetSupervisor(
            dir, 2, Duration.ofSeconds(2), m -> System.out.println("devnet: " + m));
    state = devnet.start();
    deployment = state.deployment().toDeployment();
    web3j = Web3j.build(new HttpService(state.rpcUrl()));
    user = TransactionSender.create(web3j, Bytes32.fromHex(state.userKey()));
    byte[] onnx = TestModels.randomMlpOnnx(11, IN, 4, 2);
    String cid = HubClient.of(URI.create(state.modelHubUrl())).pushBlob(onnx).toString();
    deployment
        .modelRegistry(user)
        .publish(
            "crash-mlp",
            BigInteger.ONE,
            cid,
            OnnxModelFile.parse(onnx).schema().schemaHash().toArray(),
            new byte[32],
            BigInteger.valueOf(VerificationLevel.VANILLA.bit()),
            BigInteger.ZERO)
        .send();
    await("both nodes serve the model", Duration.ofSeconds(60), () -> eligible().size() == 2);
  }

  @AfterAll
  static void stopDevnet() {
    if (web3j != null) {
      web3j.shutdown();
    }
    if (devnet != null) {
      devnet.close();
    }
  }

  static List<?> eligible() {
    try {
      return deployment.nodeRegistry(user).eligibleNodes(modelId.toArray(), BigInteger.ZERO).send();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void await(String what, Duration max, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(100);
    }
    StringBuilder logs = new StringBuilder();
    if (state != null) {
      for (DevnetState.NodeProcess n : state.nodes()) {
        logs.append("\n--- ")
            .append(n.log())
            .append('\n')
            .append(DevnetSupervisor.tail(Path.of(n.log())));
      }
    }
    throw new AssertionError("timed out waiting for: " + what + logs);
  }

  static BigInteger request(Address preferred, long timeoutSeconds) throws Exception {
    InferenceHub hub = deployment.inferenceHub(user);
    Tensor input = Tensor.ofFloats(new int[] {1, IN}, 1, 2, 3, 4, 5);
    long now =
        web3j
            .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
            .send()
            .getBlock()
            .getTimestamp()
            .longValueExact();
    hub.request(
            modelId.toArray(),
            input.canonicalBytes(),
            input.hash().toArray(),
            BigInteger.ZERO,
            BigInteger.valueOf(Math.max(now, System.currentTimeMillis() / 1000) + timeoutSeconds),
            preferred.toHex(),
            Address.ZERO.toHex(),
            BigInteger.ZERO,
            false,
            ETH.divide(BigInteger.valueOf(100)))
        .send();
    return hub.requestCount().send();
  }

  static int status(BigInteger id) {
    try {
      return deployment.inferenceHub(user).statusOf(id).send().intValue();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long submissions(BigInteger id) {
    try (HubEventWatcher w =
        new HubEventWatcher(web3j, deployment.inferenceHub(), deployment.deployedAtBlock())) {
      long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
      long n = 0;
      while (w.nextBlock() <= head) {
        n +=
            w.poll().stream()
                .filter(e -> e instanceof HubEvent.ResultSubmitted r && r.requestId().equals(id))
                .count();
      }
      return n;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean balanced() {
    try {
      return deployment.inferenceHub(user).isBalanced().send();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void requestAssignedToAKilledNodeIsReassignedOrRefundedAndNothingIsLost() throws Exception {
    devnet.killNode(0);
    Address dead = Address.fromHex(state.nodes().get(0).address());

    BigInteger id = request(dead, 3);

    // Finalized (3) after reassignment to the live node, or Refunded (4) when the draw kept
    // picking the dead one until the attempts ran out.
    await("settled", Duration.ofSeconds(90), () -> status(id) >= 3);
    assertThat(balanced()).isTrue();
    assertThat(submissions(id)).isLessThanOrEqualTo(1);
    devnet.restartNode(0);
  }

  @Test
  void nodeKilledAroundItsSubmissionResumesFromItsJournalAndSubmitsOnce() throws Exception {
    await("node 0 back", Duration.ofSeconds(60), () -> eligible().size() == 2);
    Address node = Address.fromHex(state.nodes().get(0).address());
    BigInteger id = request(node, 60);
    devnet.killNode(0); // somewhere between seeing the assignment and journaling the submission

    devnet.restartNode(0);

    await("finalized", Duration.ofSeconds(90), () -> status(id) == 3);
    assertThat(submissions(id)).isEqualTo(1);
    assertThat(balanced()).isTrue();
  }
}
