package io.vouch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.chain.AnvilProcess;
import io.vouch.chain.EscrowBooks;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Bytes32;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.Tensor;
import io.vouch.evidence.TeeTrust;
import io.vouch.hub.http.HubServer;
import io.vouch.hub.http.HubServerConfig;
import io.vouch.hub.repo.ModelRepository;
import io.vouch.hub.store.InMemoryContentStore;
import io.vouch.node.ChainSettings;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.chain.ModelProvisioner;
import io.vouch.node.inference.InferenceRequest;
import io.vouch.node.inference.InferenceResult;
import io.vouch.node.tee.TeeProfile;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.sdk.models.PushRequest;
import io.vouch.sdk.onchain.Finality;
import io.vouch.sdk.onchain.OnChainOptions;
import io.vouch.sdk.onchain.OnChainRequest;
import io.vouch.sdk.onchain.OnChainResult;
import io.vouch.tee.EnclaveKeyRegistration;
import io.vouch.tee.EnclaveSigner;
import io.vouch.tee.dev.DevRootAuthority;
import io.vouch.tee.policy.EnclaveManifest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The TEE level on the network, with real parts: anvil with a devnet deployment (development
 * attestation on, the deployer is governance and allows the development node measurement), a model
 * hub, a real {@link NodeApp} with the development TEE profile (simulated enclave under a shared
 * DEV-ONLY root), three validators played by the test ({@link TestKeyCommittee}: they approve
 * enclave keys; the court sits from four, so no request is routed) and SDK clients. The last test
 * revokes the measurement, so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeeNetworkTest {
  static final BigInteger ETH = BigInteger.TEN.pow(18);
  static final BigInteger PRICE = BigInteger.valueOf(2_000);
  static final BigInteger FEE = BigInteger.valueOf(500);
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  static AnvilProcess anvil;
  static VouchDeployment deployment;
  static TransactionSender governance;
  static HubServer hub;
  static DevRootAuthority devRoot;
  static byte[] onnx;
  static Secp256k1.KeyPair nodeKey;
  static NodeApp node;
  static TestKeyCommittee committee;

  @BeforeAll
  static void start() throws Exception {
    anvil = AnvilProcess.start();
    governance = TransactionSender.create(anvil.web3j(), anvil.devKeys().getFirst());
    deployment =
        VouchDeployment.deploy(
            governance,
            VouchDeployment.Parameters.devnet()
                .withChallengeWindow(600)
                .withCourt(VouchDeployment.Court.devnet().withMinValidators(4)));
    committee = TestKeyCommittee.register(anvil, deployment, "vouch-sdk-tee-test");
    deployment.nodeRegistry(governance).allowMeasurement(TeeProfile.devMeasurement()).send();
    hub =
        HubServer.start(
            ModelRepository.inMemory(new InMemoryContentStore()), HubServerConfig.loopback());
    // The devnet supervisor's job: one development root, written once, read by every node.
    Path rootFile = dir.resolve("dev-root.pem");
    DevRootAuthority.generate(Instant.now()).writeTo(rootFile);
    devRoot = DevRootAuthority.readFrom(rootFile);
    onnx = TestModels.randomMlpOnnx(7, 8, 4, 3);
    Path file = Files.write(dir.resolve("tee-demo.onnx"), onnx);
    try (VouchClient publisher = client(funded("publisher"))) {
      publisher
          .models()
          .push(
              file,
              new PushRequest(
                  "tee-demo",
                  1,
                  Set.of(VerificationLevel.VANILLA, VerificationLevel.TEE),
                  FEE,
                  OnnxModelFile.parse(onnx).schema().schemaHash(),
                  Bytes32.ZERO));
    }
    nodeKey = funded("tee-node");
    node =
        new NodeApp(
            new NodeConfig(
                "127.0.0.1",
                0,
                nodeKey,
                deployment.chainId(),
                deployment.inferenceHub(),
                1 << 16,
                1 << 20,
                PRICE),
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
                .withSettlement(
                    io.vouch.node.settlement.SettlementSettings.defaults()
                        .withRequireVouchers(false))
                .withTee(TeeProfile.development(devRoot)));
    node.start();
    // the node registered its key (pending) and serves TEE once a committee approves it
    committee.decide(node.enclave().orElseThrow().signer().address(), true);
    long until = System.nanoTime() + WAIT.toNanos();
    while (node.executor().enclave().isEmpty() && System.nanoTime() < until) {
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop();
    }
    if (hub != null) {
      hub.close();
    }
    if (anvil != null) {
      anvil.close();
    }
  }

  static Secp256k1.KeyPair funded(String label) {
    Secp256k1.KeyPair k =
        Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("vouch-sdk-tee-test/" + label));
    anvil.setBalance(k.address(), ETH.multiply(BigInteger.valueOf(100)));
    return k;
  }

  /** The SDK's defaults: attested TEE trust, no trust anchor configured. */
  static VouchConfig config() {
    return VouchConfig.of(anvil.rpcUrl(), deployment)
        .withHubs(hub.uri())
        .withTimeouts(
            new VouchConfig.Timeouts(Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ZERO));
  }

  /**
   * The default, attested trust with the devnet's development root configured (what the CLI does
   * for a devnet folder): trusted because this deployment allows development attestation.
   */
  static VouchConfig devnetConfig() {
    return config()
        .withTeeTrust(TeeTrust.attested().withDevelopmentRoot(devRoot.rootCertificate()));
  }

  static VouchClient client(Secp256k1.KeyPair key) {
    return VouchClient.connect(devnetConfig().withKey(key));
  }

  /** A client that fetches and verifies attestation documents under the devnet's root. */
  static VouchClient attestingClient() {
    return VouchClient.connect(devnetConfig());
  }

  static Tensor input(float seed) {
    float[] v = new float[8];
    for (int i = 0; i < v.length; i++) {
      v[i] = seed + i / 8f;
    }
    return Tensor.ofFloats(new int[] {1, 8}, v);
  }

  static Tensor expectedOutput(Tensor in) {
    try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.load(onnx)) {
      return engine.run(in);
    }
  }

  static Requirements teeOnTheNode() {
    return Requirements.defaults()
        .withMinLevel(VerificationLevel.TEE)
        .withPreferredNode(nodeKey.address());
  }

  static EnclaveSigner enclave() {
    return node.enclave().orElseThrow().signer();
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
  @Order(1)
  void theNodeRegistersItsEnclaveKeyAndAdvertisesTee() throws Exception {
    assertThat(
            deployment
                .nodeRegistry(governance)
                .isActiveEnclaveKey(nodeKey.address().toHex(), enclave().address().toHex())
                .send())
        .isTrue();
    try (VouchClient c = attestingClient()) {
      assertThat(c.candidates("tee-demo@1", VerificationLevel.TEE))
          .anySatisfy(n -> assertThat(n.address()).isEqualTo(nodeKey.address()));
    }
  }

  @Test
  @Order(2)
  void aTeeDirectResultIsVerifiedWithItsAttestation() {
    try (VouchClient c = attestingClient()) {
      InferenceOutcome r = c.infer("tee-demo@1", input(1f), teeOnTheNode());

      assertThat(r.level()).isEqualTo(VerificationLevel.TEE);
      assertThat(r.output()).isEqualTo(expectedOutput(input(1f)));
      assertThat(r.node()).isEqualTo(nodeKey.address());
      assertThat(r.receipt().signer(deployment.domain())).isEqualTo(enclave().address());
      assertThat(r.receipt().receipt().evidenceHash())
          .isEqualTo(enclave().evidence().evidenceHash());
      assertThat(r.verification())
          .isInstanceOfSatisfying(
              InferenceOutcome.Verification.ClientVerified.class,
              v -> assertThat(v.what()).contains("attestation").contains("DEVELOPMENT"));
    }
  }

  @Test
  @Order(3)
  void aTamperedTeeReceiptIsRefused() {
    try (VouchClient c = attestingClient()) {
      InferenceOutcome r = c.infer("tee-demo@1", input(2f), teeOnTheNode());
      InferenceReceipt original = r.receipt().receipt();
      InferenceReceipt later =
          new InferenceReceipt(
              original.requestId(),
              original.modelId(),
              original.inputHash(),
              original.outputHash(),
              original.level(),
              original.evidenceHash(),
              original.node(),
              original.timestamp(),
              original.sequence() + 1);
      InferenceOutcome tampered = withReceipt(r, new SignedReceipt(later, r.receipt().signature()));

      assertThatThrownBy(() -> c.verify(tampered))
          .isInstanceOf(VouchClientException.class)
          .hasMessageContaining("not an active enclave key")
          .satisfies(e ->
              assertThat(((VouchClientException) e).code())
                  .isEqualTo(ErrorCode.VERIFICATION_FAILED));
    }
  }

  @Test
  @Order(4)
  void aTeeReceiptSignedByAnUnregisteredEnclaveKeyIsRefused() {
    try (VouchClient c = attestingClient()) {
      InferenceOutcome r = c.infer("tee-demo@1", input(3f), teeOnTheNode());
      // A genuine enclave under the same root, attested, but its key was never registered.
      var other =
          devRoot.startEnclave(
              TeeProfile.DEV_NODE_SOFTWARE_ID.getBytes(StandardCharsets.US_ASCII),
              TeeProfile.DEV_ENCLAVE_CONFIG_ID.getBytes(StandardCharsets.US_ASCII),
              Instant.now());
      EnclaveSigner rogue = EnclaveSigner.generate(other::attest, new SecureRandom());
      rogue.attest(
          new EnclaveManifest(
              TeeProfile.nodeSoftwareMeasurement(),
              List.of(r.modelId()),
              deployment.chainId(),
              deployment.nodeRegistry(),
              nodeKey.address()),
          new byte[32],
          Instant.now());
      InferenceOutcome forged =
          withReceipt(r, rogue.sign(deployment.domain(), r.receipt().receipt()));

      assertThatThrownBy(() -> c.verify(forged))
          .isInstanceOf(VouchClientException.class)
          .hasMessageContaining(rogue.address() + ", which is not an active enclave key");
    }
  }

  @Test
  @Order(5)
  void anOnChainTeeRequestSettlesInTheSubmittingTransaction() throws Exception {
    try (VouchClient requester = client(funded("requester"))) {
      OnChainRequest handle =
          requester.inferOnChain(
              "tee-demo@1",
              input(4f),
              OnChainOptions.defaults(PRICE.add(FEE))
                  .withLevel(VerificationLevel.TEE)
                  .withPreferredNode(nodeKey.address()));

      OnChainResult r = requester.awaitResult(handle, Finality.FINALIZED, WAIT);

      assertThat(r.finality()).isEqualTo(Finality.FINALIZED);
      assertThat(r.output()).isEqualTo(expectedOutput(input(4f)));
      TransactionReceipt submit =
          anvil.web3j().ethGetTransactionReceipt(r.submitTransaction()).send().getResult();
      long submittedAt =
          anvil
              .web3j()
              .ethGetBlockByHash(submit.getBlockHash(), false)
              .send()
              .getBlock()
              .getTimestamp()
              .longValueExact();
      assertThat(r.finalizableAt()).isEqualTo(submittedAt); // no challenge window
      assertThat(r.finalizeTransaction()).contains(r.submitTransaction());
      assertThat(r.settlement().orElseThrow().nodePaidWei()).isEqualTo(PRICE);
      // The client read the enclave receipt back from the submit transaction and checked it.
      assertThat(r.proofVerification())
          .hasValueSatisfying(v ->
              assertThat(v)
                  .contains("signature by active enclave key " + enclave().address())
                  .contains("attestation")
                  .contains("DEVELOPMENT"));
      long approvedAt =
          io.vouch.chain.registry.NodeRegistryClient.readOnly(anvil.web3j(), deployment)
              .enclaveKeyInfo(enclave().address())
              .approvedAtBlock();
      assertThat(approvedAt).isPositive();
      assertThat(r.verification().orElseThrow().summary())
          .contains("enclave key " + enclave().address() + " approved at block " + approvedAt);
      assertThat(deployment.inferenceHub(governance).isBalanced().send()).isTrue();
    }
  }

  @Test
  @Order(6)
  void byDefaultATeeResultIsRefusedWhileNoTrustAnchorIsConfigured() {
    try (VouchClient c = VouchClient.connect(config())) {
      assertThatThrownBy(() -> c.infer("tee-demo@1", input(7f), teeOnTheNode()))
          .isInstanceOf(VouchClientException.class)
          .satisfies(e ->
              assertThat(((VouchClientException) e).code())
                  .isEqualTo(ErrorCode.VERIFICATION_FAILED))
          .hasMessageContaining("no trust anchor is configured")
          .hasMessageContaining("withAwsRoot")
          .hasMessageContaining("--nitro-root")
          .hasMessageContaining("tee-dev-root.pem")
          .hasMessageContaining("TeeTrust.chainOnly()");
    }
  }

  /**
   * The attack: an operator stakes a node and registers an enclave key whose attestation document
   * chains to a root of its own, and a colluding committee approves it (the registry does not parse
   * documents), then signs "TEE" receipts with it. The chain says the key is active; only the
   * client's own document check tells.
   */
  @Test
  @Order(7)
  void aTeeResultWhoseRegisteredDocumentDoesNotVerifyUnderTheAnchorsIsRefusedByDefault()
      throws Exception {
    Secp256k1.KeyPair rogueKey = funded("rogue-node");
    TransactionSender rogue = TransactionSender.create(anvil.web3j(), rogueKey);
    deployment
        .nodeRegistry(rogue)
        .register(
            BigInteger.ONE,
            "http://127.0.0.1:9",
            BigInteger.valueOf(VerificationLevel.VANILLA.bit() | VerificationLevel.TEE.bit()),
            PRICE,
            List.of(),
            ETH)
        .send();
    var ownRoot = DevRootAuthority.generate(Instant.now());
    var enclave =
        ownRoot.startEnclave(
            TeeProfile.DEV_NODE_SOFTWARE_ID.getBytes(StandardCharsets.US_ASCII),
            TeeProfile.DEV_ENCLAVE_CONFIG_ID.getBytes(StandardCharsets.US_ASCII),
            Instant.now());
    EnclaveSigner signer = EnclaveSigner.generate(enclave::attest, new SecureRandom());
    InferenceOutcome genuine;
    try (VouchClient c = attestingClient()) {
      signer.attest(
          new EnclaveManifest(
              TeeProfile.nodeSoftwareMeasurement(),
              List.of(io.vouch.core.ModelId.of("tee-demo", 1)),
              deployment.chainId(),
              deployment.nodeRegistry(),
              rogueKey.address()),
          new byte[32],
          Instant.now());
      EnclaveKeyRegistration reg =
          signer.registration(
              deployment.nodeRegistryDomain(), rogueKey.address(), Duration.ofHours(1));
      deployment
          .nodeRegistry(rogue)
          .registerEnclaveKey(
              reg.enclaveKey().toHex(),
              reg.measurement(),
              reg.attestationDocHash().toArray(),
              BigInteger.valueOf(reg.docTimeSeconds()),
              BigInteger.valueOf(reg.expirySeconds()),
              reg.attestationDocument(),
              reg.keyProof().toArray(),
              deployment.verificationCourt(rogue).keyApprovalFee().send())
          .send();
      // a colluding committee approves it (honest validators would not: the node module's
      // KeyApprovalTest); the client's own document check is the defence left
      committee.decide(reg.enclaveKey(), true);
      genuine = c.infer("tee-demo@1", input(7f), teeOnTheNode());
    }
    InferenceReceipt g = genuine.receipt().receipt();
    InferenceOutcome forged =
        withReceipt(
            genuine,
            signer.sign(
                deployment.domain(),
                new InferenceReceipt(
                    g.requestId(),
                    g.modelId(),
                    g.inputHash(),
                    g.outputHash(),
                    g.level(),
                    g.evidenceHash(),
                    rogueKey.address(),
                    g.timestamp(),
                    g.sequence())));

    try (VouchClient chainOnly = VouchClient.connect(config().withTeeTrust(TeeTrust.chainOnly()))) {
      assertThat(chainOnly.verify(forged).verification())
          .as("the chain alone vouches for the rogue key")
          .isInstanceOfSatisfying(
              InferenceOutcome.Verification.ClientVerified.class,
              v -> assertThat(v.what()).contains("not checked (TeeTrust.chainOnly)"));
    }
    try (VouchClient c = attestingClient()) {
      assertThatThrownBy(() -> c.verify(forged))
          .isInstanceOf(VouchClientException.class)
          .hasMessageContaining("TEE attestation check failed");
    }
  }

  @Test
  @Order(8)
  void afterGovernanceRevokesTheMeasurementTeeResultsAreRefused() throws Exception {
    InferenceOutcome before;
    try (VouchClient c = attestingClient()) {
      before = c.infer("tee-demo@1", input(5f), teeOnTheNode());
    }
    deployment.nodeRegistry(governance).revokeMeasurement(TeeProfile.devMeasurement()).send();

    try (VouchClient c = attestingClient()) {
      assertThatThrownBy(() -> c.verify(before))
          .isInstanceOf(VouchClientException.class)
          .hasMessageContaining("measurement was revoked");
    }
    // The hub refuses the node's TEE result for a request assigned to it.
    try (VouchClient requester = client(funded("requester-after-revocation"))) {
      OnChainRequest handle =
          requester.inferOnChain(
              "tee-demo@1",
              input(6f),
              OnChainOptions.defaults(PRICE.add(FEE))
                  .withLevel(VerificationLevel.TEE)
                  .withPreferredNode(nodeKey.address()));
      InferenceResult result =
          node.executor()
              .execute(
                  new InferenceRequest(
                      handle.modelId().toHex(),
                      input(6f),
                      VerificationLevel.TEE,
                      Bytes32.fromUint(handle.requestId())));
      InferenceReceipt receipt = result.receipt().receipt();
      InferenceHub asNode =
          deployment.inferenceHub(TransactionSender.create(anvil.web3j(), nodeKey));

      // The node's own worker submits the same result with the same key at about the same time;
      // a transaction that lost the nonce race to it is sent again.
      assertThatThrownBy(
              () -> {
                for (int attempt = 0; ; attempt++) {
                  try {
                    asNode
                        .submitResult(
                            handle.requestId(),
                            receipt.outputHash().toArray(),
                            result.output().canonicalBytes(),
                            receipt.evidenceHash().toArray(),
                            BigInteger.valueOf(receipt.timestamp()),
                            BigInteger.valueOf(receipt.sequence()),
                            result.receipt().signature().toArray())
                        .send();
                    return;
                  } catch (io.vouch.chain.ChainException e) {
                    if (e instanceof ContractRevertException
                        || attempt >= 5
                        || !String.valueOf(e.getMessage()).contains("underpriced")) {
                      throw e;
                    }
                  }
                }
              })
          .isInstanceOfSatisfying(
              ContractRevertException.class,
              e -> assertThat(e.errorName()).isEqualTo("InactiveEnclaveKey"));
      assertThat(deployment.inferenceHub(governance).isBalanced().send()).isTrue();
    }
  }

  private static InferenceOutcome withReceipt(InferenceOutcome r, SignedReceipt receipt) {
    return new InferenceOutcome(
        r.requestId(),
        r.modelId(),
        r.modelRef(),
        r.level(),
        r.input(),
        r.output(),
        receipt,
        r.domain(),
        r.nodeEndpoint(),
        new InferenceOutcome.Verification.Unverified());
  }
}
