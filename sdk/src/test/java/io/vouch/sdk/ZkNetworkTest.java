package io.vouch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.chain.AnvilProcess;
import io.vouch.chain.EscrowBooks;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Bytes32;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.Tensor;
import io.vouch.hub.http.HubServer;
import io.vouch.hub.http.HubServerConfig;
import io.vouch.hub.repo.ModelRepository;
import io.vouch.hub.store.InMemoryContentStore;
import io.vouch.node.ChainSettings;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.chain.ModelProvisioner;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.node.inference.ReceiptSigner;
import io.vouch.node.settlement.SettlementSettings;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.models.PushRequest;
import io.vouch.sdk.verify.ResultVerifier;
import io.vouch.zk.mlp.ZkCompiler;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkModelFile;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ZKML level on the direct path, with real parts: anvil with the contracts, a model hub, two
 * ZK-enabled models pushed through the SDK (ONNX + .zkmodel in one hub version, zkModelId on
 * chain), an on-chain {@link NodeApp} that provisions them from the hub, and a dishonest node that
 * proves model B's computation while claiming model A.
 */
class ZkNetworkTest {
  static final BigInteger ETH = BigInteger.TEN.pow(18);
  static final BigInteger PRICE = BigInteger.valueOf(2_000);
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  static AnvilProcess anvil;
  static VouchDeployment deployment;
  static HubServer hub;
  static byte[] onnxA;
  static PublishedModel modelA;
  static ZkModel zkB;
  static Secp256k1.KeyPair nodeKey;
  static NodeApp node;
  static NodeApp rogue;

  @BeforeAll
  static void start() throws Exception {
    anvil = AnvilProcess.start();
    TransactionSender governance =
        TransactionSender.create(anvil.web3j(), anvil.devKeys().getFirst());
    deployment =
        VouchDeployment.deploy(
            governance, VouchDeployment.Parameters.devnet().withChallengeWindow(600));
    hub =
        HubServer.start(
            ModelRepository.inMemory(new InMemoryContentStore()), HubServerConfig.loopback());
    onnxA = TestModels.randomMlpOnnx(7, 8, 4, 3);
    byte[] onnxB = TestModels.randomMlpOnnx(8, 8, 4, 3);
    try (VouchClient publisher = client(funded("publisher"))) {
      modelA = pushZk(publisher, "zk-a", onnxA).model();
      zkB = pushZk(publisher, "zk-b", onnxB).zk();
    }
    nodeKey = funded("zk-node");
    node =
        new NodeApp(
            nodeConfig(nodeKey),
            Clock.systemUTC(),
            new ChainSettings(
                    anvil.rpcUrl(),
                    deployment,
                    ETH,
                    List.of(hub.uri()),
                    ModelProvisioner.servingAll(),
                    dir.resolve("journal.jsonl"),
                    Duration.ofMillis(200),
                    null)
                .withSettlement(SettlementSettings.defaults().withRequireVouchers(false)));
    node.start();
  }

  record Pushed(PublishedModel model, ZkModel zk) {}

  static Pushed pushZk(VouchClient publisher, String name, byte[] onnx) throws Exception {
    OnnxModelFile file = OnnxModelFile.parse(onnx);
    // seeded random weights leave near-ties on random inputs (see ZkBenchmarkModels)
    ZkCompiler.Compiled compiled = ZkCompiler.compile(file, null, 0.9);
    Path path = Files.write(dir.resolve(name + ".onnx"), onnx);
    PublishedModel m =
        publisher
            .models()
            .push(
                path,
                new PushRequest(
                    name,
                    1,
                    Set.of(VerificationLevel.VANILLA, VerificationLevel.ZKML),
                    BigInteger.ZERO,
                    file.schema().schemaHash(),
                    compiled.model().modelId()),
                compiled.fileBytes());
    return new Pushed(m, compiled.model());
  }

  @AfterAll
  static void stop() {
    for (NodeApp n : new NodeApp[] {node, rogue}) {
      if (n != null) {
        n.stop();
      }
    }
    if (hub != null) {
      hub.close();
    }
    if (anvil != null) {
      anvil.close();
    }
  }

  static NodeConfig nodeConfig(Secp256k1.KeyPair key) {
    return new NodeConfig(
        "127.0.0.1",
        0,
        key,
        deployment.chainId(),
        deployment.inferenceHub(),
        1 << 16,
        1 << 20,
        PRICE);
  }

  static Secp256k1.KeyPair funded(String label) {
    Secp256k1.KeyPair k =
        Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("vouch-sdk-zk-test/" + label));
    anvil.setBalance(k.address(), ETH.multiply(BigInteger.valueOf(100)));
    return k;
  }

  static VouchClient client(Secp256k1.KeyPair key) {
    return VouchClient.connect(config().withKey(key));
  }

  static VouchConfig config() {
    return VouchConfig.of(anvil.rpcUrl(), deployment)
        .withHubs(hub.uri())
        .withTimeouts(
            new VouchConfig.Timeouts(Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ZERO));
  }

  static Tensor input(float seed) {
    float[] v = new float[8];
    for (int i = 0; i < v.length; i++) {
      v[i] = (seed + i) / 10f;
    }
    return Tensor.ofFloats(new int[] {1, 8}, v);
  }

  static Requirements zkml(Secp256k1.KeyPair on) {
    return Requirements.defaults()
        .withMinLevel(VerificationLevel.ZKML)
        .withPreferredNode(on.address());
  }

  /** The node provisions from the hub in the background: wait until it advertises ZKML. */
  static void awaitZkml(VouchClient c, Secp256k1.KeyPair on) throws InterruptedException {
    Instant end = Instant.now().plus(WAIT);
    while (c.candidates("zk-a@1", VerificationLevel.ZKML).stream()
        .noneMatch(n -> n.address().equals(on.address()))) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError(on.address() + " never advertised ZKML for zk-a@1");
      }
      Thread.sleep(100);
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
  void aZkmlDirectResultIsVerifiedByTheClient() throws Exception {
    try (VouchClient c = client(funded("requester"))) {
      awaitZkml(c, nodeKey);

      InferenceOutcome r = c.infer("zk-a@1", input(1), zkml(nodeKey));

      assertThat(r.level()).isEqualTo(VerificationLevel.ZKML);
      assertThat(r.receipt().receipt().evidenceHash())
          .isEqualTo(Keccak.hash(r.proof().orElseThrow()));
      assertThat(r.verification())
          .isInstanceOfSatisfying(
              InferenceOutcome.Verification.ClientVerified.class,
              v ->
                  assertThat(v.what())
                      .startsWith(ResultVerifier.ZKML_LOCAL_CHECK)
                      .contains(modelA.zkModelId().toString()));
    }
  }

  @Test
  void anOnChainZkmlResultIsVerifiedWithTheProofFetchedFromTheNode() throws Exception {
    try (VouchClient c = client(funded("on-chain-requester"))) {
      awaitZkml(c, nodeKey);

      var handle =
          c.inferOnChain(
              "zk-a@1",
              input(3),
              io.vouch.sdk.onchain.OnChainOptions.defaults(BigInteger.TEN.pow(16))
                  .withLevel(VerificationLevel.ZKML)
                  .withFastDelivery(true)
                  // the node under test works the chain; other tests register stand-in nodes
                  .withPreferredNode(nodeKey.address()));
      var result =
          c.awaitResult(
              handle, io.vouch.sdk.onchain.Finality.SUBMITTED, java.time.Duration.ofSeconds(60));

      assertThat(result.evidenceHash()).isNotEqualTo(io.vouch.core.Bytes32.ZERO);
      assertThat(result.proofVerification())
          .hasValueSatisfying(v ->
              assertThat(v)
                  .startsWith(ResultVerifier.ZKML_LOCAL_CHECK)
                  .contains("proof verified under zkModelId " + modelA.zkModelId()));
    }
  }

  /** A transport that notes each call and passes it to the node HTTP API's. */
  static final class RecordingTransport implements io.vouch.sdk.direct.NodeTransport {
    final io.vouch.sdk.direct.NodeTransport http =
        io.vouch.sdk.direct.NodeTransport.http(Duration.ofSeconds(2));
    final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public InferenceOutcome infer(
        String endpoint,
        String model,
        io.vouch.core.tensor.NamedTensors inputs,
        VerificationLevel level,
        io.vouch.core.Bytes32 requestId,
        Duration timeout) {
      calls.add("infer " + endpoint + " " + model);
      return http.infer(endpoint, model, inputs, level, requestId, timeout);
    }

    @Override
    public InferenceOutcome infer(
        String endpoint,
        String model,
        io.vouch.core.tensor.NamedTensors inputs,
        VerificationLevel level,
        io.vouch.core.Bytes32 requestId,
        Duration timeout,
        java.util.Optional<io.vouch.sdk.payment.SignedVoucher> voucher) {
      calls.add("infer " + endpoint + " " + model);
      return http.infer(endpoint, model, inputs, level, requestId, timeout, voucher);
    }

    @Override
    public byte[] proof(String endpoint, io.vouch.core.Bytes32 evidenceHash, Duration timeout) {
      calls.add("proof " + endpoint + " " + evidenceHash);
      return http.proof(endpoint, evidenceHash, timeout);
    }

    @Override
    public void close() {
      calls.add("close");
      http.close();
    }
  }

  @Test
  void anInjectedTransportCarriesTheInferencesAndTheProofFetches() throws Exception {
    RecordingTransport transport = new RecordingTransport();
    io.vouch.core.Bytes32 evidenceHash;
    try (VouchClient c =
        VouchClient.connect(config().withKey(funded("transport-requester")), transport)) {
      awaitZkml(c, nodeKey);

      c.infer("zk-a@1", input(5), Requirements.defaults().withPreferredNode(nodeKey.address()));
      var handle =
          c.inferOnChain(
              "zk-a@1",
              input(6),
              io.vouch.sdk.onchain.OnChainOptions.defaults(BigInteger.TEN.pow(16))
                  .withLevel(VerificationLevel.ZKML)
                  .withFastDelivery(true)
                  .withPreferredNode(nodeKey.address()));
      var result =
          c.awaitResult(
              handle, io.vouch.sdk.onchain.Finality.SUBMITTED, java.time.Duration.ofSeconds(60));
      assertThat(result.proofVerification()).isPresent();
      evidenceHash = result.evidenceHash();
    }

    assertThat(transport.calls)
        .anySatisfy(call -> assertThat(call).startsWith("infer " + node.baseUrl() + " "))
        .contains("proof " + node.baseUrl() + " " + evidenceHash)
        .endsWith("close");
  }

  @Test
  void theZkmlOutputIsTheIntegerModelsLogits() throws Exception {
    try (VouchClient c = client(funded("requester"))) {
      awaitZkml(c, nodeKey);

      InferenceOutcome r = c.infer("zk-a@1", input(2), zkml(nodeKey));

      ZkModel zkA = ZkCompiler.compile(OnnxModelFile.parse(onnxA), null, 0.9).model();
      byte[] x = zkA.quantizeInput(input(2).toFloats());
      assertThat(r.output().toLongs())
          .containsExactly(io.vouch.onnx.quant.IntegerEngine.run(zkA.integerModel(), x));
    }
  }

  @Test
  void aTamperedProofIsRefused() throws Exception {
    try (VouchClient c = client(funded("requester"))) {
      awaitZkml(c, nodeKey);
      InferenceOutcome r = c.infer("zk-a@1", input(3), zkml(nodeKey));
      byte[] proof = r.proof().orElseThrow();
      proof[proof.length / 2] ^= 1;

      assertThatThrownBy(() -> c.verify(r.withProof(proof)))
          .isInstanceOfSatisfying(
              VouchClientException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION_FAILED))
          .hasMessageContaining("evidenceHash");
    }
  }

  @Test
  void aTamperedOutputIsRefused() throws Exception {
    try (VouchClient c = client(funded("requester"))) {
      awaitZkml(c, nodeKey);
      InferenceOutcome r = c.infer("zk-a@1", input(4), zkml(nodeKey));
      long[] logits = r.output().toLongs();
      logits[0] += 1;
      InferenceOutcome tampered =
          new InferenceOutcome(
              r.requestId(),
              r.modelId(),
              r.modelRef(),
              r.level(),
              r.input(),
              Tensor.ofLongs(r.output().shape(), logits),
              r.receipt(),
              r.domain(),
              r.nodeEndpoint(),
              new InferenceOutcome.Verification.Unverified(),
              r.proof());

      assertThatThrownBy(() -> c.verify(tampered))
          .isInstanceOf(VouchClientException.class)
          .hasMessageContaining("output hash");
    }
  }

  /**
   * A staked node that claims model A but proves model B (another registered ZK model): its receipt
   * is signed and its proof is genuine, but not under A's zkModelId, so the client refuses it.
   */
  @Test
  void aProofUnderAnotherModelsKeyIsRefused() throws Exception {
    Secp256k1.KeyPair rogueKey = funded("rogue-node");
    synchronized (ZkNetworkTest.class) {
      if (rogue == null) {
        rogue = new NodeApp(nodeConfig(rogueKey), Clock.systemUTC(), inMemory());
        rogue.load(
            new LoadedModel(
                modelA.modelId(),
                modelA.name(),
                modelA.version(),
                modelA.cid(),
                Set.of(VerificationLevel.ZKML),
                PRICE,
                new OnnxModelRunner(OnnxRuntimeEngine.load(onnxA)),
                Optional.of(zkB)));
        rogue.start();
        deployment
            .nodeRegistry(TransactionSender.create(anvil.web3j(), rogueKey))
            .register(
                BigInteger.ONE,
                rogue.baseUrl(),
                BigInteger.valueOf(VerificationLevel.ZKML.bit()),
                PRICE,
                List.of(modelA.modelId().toArray()),
                ETH.multiply(BigInteger.TWO))
            .send();
      }
    }
    try (VouchClient c = client(funded("requester"))) {
      assertThatThrownBy(() -> c.infer("zk-a@1", input(5), zkml(rogueKey)))
          .isInstanceOfSatisfying(
              VouchClientException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION_FAILED))
          .hasMessageContaining("ZKML proof rejected under zkModelId " + modelA.zkModelId());
    }
  }

  private static ReceiptSigner.SequenceStore inMemory() {
    return ReceiptSigner.SequenceStore.inMemory();
  }

  @Test
  void pushingZkmlWithoutTheZkModelFileIsRefused() throws Exception {
    try (VouchClient publisher = client(funded("publisher"))) {
      Path path = Files.write(dir.resolve("no-zk.onnx"), onnxA);
      PushRequest request =
          new PushRequest(
              "no-zk",
              1,
              Set.of(VerificationLevel.ZKML),
              BigInteger.ZERO,
              OnnxModelFile.parse(onnxA).schema().schemaHash(),
              Bytes32.fromHex("0x" + "11".repeat(32)));

      assertThatThrownBy(() -> publisher.models().push(path, request))
          .isInstanceOf(VouchClientException.class)
          .hasMessageContaining("ZK model file");
      assertThatThrownBy(() ->
              publisher
                  .models()
                  .push(path, request, ZkModelFile.encode(zkB.integerModel(), zkB.modelId())))
          .isInstanceOf(VouchClientException.class)
          .hasMessageContaining("registers to " + zkB.modelId());
    }
  }
}
