package io.vouch.node.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.chain.AnvilProcess;
import io.vouch.chain.EscrowBooks;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.events.HubEvent;
import io.vouch.chain.events.HubEventWatcher;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.ModelId;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.tensor.Tensor;
import io.vouch.hub.http.HubServer;
import io.vouch.hub.http.HubServerConfig;
import io.vouch.hub.repo.ModelRepository;
import io.vouch.hub.store.InMemoryContentStore;
import io.vouch.node.ChainSettings;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.TestModelPublisher;
import io.vouch.node.journal.ForeignJournalException;
import io.vouch.node.journal.Journal;
import io.vouch.node.journal.JournalEntry;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.testmodels.TestModels;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * A node working on a real anvil chain: it registers with stake, fetches the published model from a
 * real model hub by CID, executes the request the hub assigns to it, submits the signed result, and
 * finalizes it when the challenge window has passed — all by itself.
 */
class OnChainNodeTest {
  static final BigInteger ETH = BigInteger.TEN.pow(18);
  static final String MODEL = "mlp";
  static final int IN = 6;

  @TempDir static Path dir;
  static AnvilProcess anvil;
  static VouchDeployment deployment;
  static HubServer hubServer;
  static TransactionSender requester;
  static Secp256k1.KeyPair nodeKey;
  static NodeApp node;
  static byte[] onnx;

  @BeforeAll
  static void setUp() throws Exception {
    anvil = AnvilProcess.start();
    List<Bytes32> keys = anvil.devKeys();
    TransactionSender deployer = TransactionSender.create(anvil.web3j(), keys.get(0));
    deployment =
        VouchDeployment.deploy(
            deployer, VouchDeployment.Parameters.devnet().withChallengeWindow(60));
    requester = TransactionSender.create(anvil.web3j(), keys.get(1));
    nodeKey = Secp256k1.KeyPair.fromPrivateKey(keys.get(2));

    hubServer =
        HubServer.start(
            ModelRepository.inMemory(new InMemoryContentStore()), HubServerConfig.loopback());
    onnx = TestModels.randomMlpOnnx(3, IN, 4, 3);
    TestModelPublisher.publishVanilla(deployment, requester, hubServer.uri(), MODEL, onnx);

    node = startNode();
  }

  static NodeApp startNode() throws Exception {
    NodeApp n = node(nodeKey, dir.resolve("journal.jsonl"));
    n.start();
    return n;
  }

  static NodeApp node(Secp256k1.KeyPair key, Path journal) {
    return new NodeApp(
        new NodeConfig(
            "127.0.0.1",
            0,
            key,
            deployment.chainId(),
            deployment.inferenceHub(),
            1 << 16,
            1 << 20,
            ETH.divide(BigInteger.valueOf(1000))),
        Clock.systemUTC(),
        new ChainSettings(
            anvil.rpcUrl(),
            deployment,
            ETH,
            List.of(hubServer.uri()),
            ModelProvisioner.servingAll(),
            journal,
            Duration.ofMillis(100),
            null));
  }

  @AfterAll
  static void tearDown() {
    if (node != null) {
      node.stop();
    }
    if (hubServer != null) {
      hubServer.close();
    }
    if (anvil != null) {
      anvil.close();
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("timed out waiting for: " + what);
  }

  static BigInteger status(InferenceHub hub, BigInteger id) {
    try {
      return hub.statusOf(id).send();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Escrow is conserved after every test: the hub's and the court's books (chain's test-jar). */
  EscrowBooks books;

  @BeforeEach
  void openTheBooks() throws Exception {
    books = EscrowBooks.open(anvil, deployment);
  }

  @AfterEach
  void escrowIsConserved() throws Exception {
    books.assertBalanced();
  }

  @Test
  void nodeRegistersServesTheRegistryModelAndSettlesAnAssignedRequest() throws Exception {
    InferenceHub hub = deployment.inferenceHub(requester);
    Bytes32 modelId = ModelId.of(MODEL, 1);
    assertThat(deployment.nodeRegistry(requester).isRegistered(nodeKey.address().toHex()).send())
        .isTrue();
    Tensor input = Tensor.ofFloats(new int[] {1, IN}, 1, 2, 3, 4, 5, 6);
    long deadline =
        anvil
                .web3j()
                .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                .send()
                .getBlock()
                .getTimestamp()
                .longValueExact()
            + 600;

    hub.request(
            modelId.toArray(),
            input.canonicalBytes(),
            input.hash().toArray(),
            BigInteger.valueOf(VerificationLevel.VANILLA.code()),
            BigInteger.valueOf(deadline),
            Address.ZERO.toHex(),
            Address.ZERO.toHex(),
            BigInteger.ZERO,
            false,
            ETH.divide(BigInteger.valueOf(100)))
        .send();
    BigInteger id = hub.requestCount().send();

    await("result submitted", () -> status(hub, id).intValue() >= 2);
    HubEvent.ResultSubmitted submitted = null;
    try (HubEventWatcher w =
        new HubEventWatcher(
            anvil.web3j(), deployment.inferenceHub(), deployment.deployedAtBlock())) {
      for (HubEvent e : w.poll()) {
        if (e instanceof HubEvent.ResultSubmitted r && r.requestId().equals(id)) {
          submitted = r;
        }
      }
    }
    assertThat(submitted).isNotNull();
    assertThat(submitted.node()).isEqualTo(nodeKey.address());
    try (OnnxRuntimeEngine reference = OnnxRuntimeEngine.load(onnx)) {
      assertThat(Tensor.fromCanonicalBytes(submitted.output())).isEqualTo(reference.run(input));
    }

    anvil.increaseTime(61);
    anvil.mine();
    await("finalized by the node", () -> status(hub, id).intValue() == 3);
    assertThat(hub.isBalanced().send()).isTrue();
  }

  @Test
  void restartedNodeDoesNotSubmitTwice() throws Exception {
    node.stop();
    Path journalFile = dir.resolve("journal.jsonl");
    long before;
    try (Journal j = Journal.open(journalFile)) {
      before = j.requests().values().stream().filter(Journal.RequestState::submitted).count();
    }
    node = startNode();
    Thread.sleep(500); // several polling rounds over the same chain history
    node.stop();
    try (Journal j = Journal.open(journalFile)) {
      long after = j.requests().values().stream().filter(Journal.RequestState::submitted).count();
      assertThat(after).isEqualTo(before);
      assertThat(j.pending()).isEmpty();
    }
    node = startNode();
  }

  @Test
  void aNodeRefusesAJournalOfAnotherDeploymentNamingTheFix() {
    Path other = dir.resolve("other-chain").resolve("journal.jsonl");
    try (Journal j = Journal.open(other)) {
      j.bindTo(
          new JournalEntry.Deployment(
              deployment.chainId(),
              deployment.inferenceHub(),
              deployment.deployedAtBlock(),
              Bytes32.fromHex("0x" + "11".repeat(32))));
      j.append(new JournalEntry.Checkpoint(61));
    }
    NodeApp n = node(Secp256k1.KeyPair.fromPrivateKey(anvil.devKeys().get(3)), other);

    assertThatThrownBy(n::start)
        .isInstanceOf(ForeignJournalException.class)
        .hasMessageContaining("belongs to another deployment")
        .hasMessageContaining("--data-dir")
        .hasMessageContaining("move " + other.getParent() + " aside");
  }

  @Test
  void aJournalWithoutItsDeploymentThatReadPastTheChainsHeadIsRefused() {
    Path old = dir.resolve("before-deployments").resolve("journal.jsonl");
    try (Journal j = Journal.open(old)) {
      j.append(new JournalEntry.Checkpoint(1_000_000));
    }
    NodeApp n = node(Secp256k1.KeyPair.fromPrivateKey(anvil.devKeys().get(3)), old);

    assertThatThrownBy(n::start)
        .isInstanceOf(ForeignJournalException.class)
        .hasMessageContaining("has read up to block 1000000")
        .hasMessageContaining("belongs to another chain");
  }
}
