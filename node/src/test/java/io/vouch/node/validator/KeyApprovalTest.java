package io.vouch.node.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vouch.chain.AnvilProcess;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.chain.court.CourtClient;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.registry.NodeRegistryClient.KeyStatus;
import io.vouch.chain.registry.NodeRegistryError;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Verdict;
import io.vouch.core.tensor.Tensor;
import io.vouch.evidence.TeeTrust;
import io.vouch.hub.http.HubClient;
import io.vouch.hub.http.HubServer;
import io.vouch.hub.http.HubServerConfig;
import io.vouch.hub.repo.ModelRepository;
import io.vouch.hub.store.InMemoryContentStore;
import io.vouch.node.ChainSettings;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.NodeRole;
import io.vouch.node.chain.ModelProvisioner;
import io.vouch.node.tee.TeeProfile;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.tee.EnclaveKeyRegistration;
import io.vouch.tee.EnclaveSigner;
import io.vouch.tee.dev.DevRootAuthority;
import io.vouch.tee.policy.EnclaveManifest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Enclave keys approved by a real committee: three validator {@link NodeApp}s (the devnet court
 * sits from three) that hold the development root, on a deployment that allows development
 * attestation, and a TEE node with the development enclave. The node's key is pending — its TEE
 * assignments wait — until the validators draw its KeyApproval case, verify the document and
 * approve it; then the node serves TEE on chain. Keys whose registration does not hold up (a
 * mutated document, a document binding another key, a development document on a production
 * deployment judged by that deployment's own validators, a document older than the deployment's
 * MAX_ATTESTATION_AGE at its registration's block, a nonce that is no block of this chain, a
 * genuine document replayed by another node, a manifest its node does not serve) are voted INVALID,
 * rejected and their node slashed; a wrong proof of possession never gets past the registry; an
 * approval verdict replayed for another key is refused. Both books balance after each test.
 */
class KeyApprovalTest {
  static final BigInteger ETH = BigInteger.TEN.pow(18);
  static final BigInteger PRICE = ETH.divide(BigInteger.valueOf(1_000));
  static final BigInteger FEE = ETH.divide(BigInteger.valueOf(100));

  @TempDir static Path dir;
  static AnvilProcess anvil;
  static DevRootAuthority devRoot;
  static VouchDeployment devnet;
  static HubServer hubServer;
  static TransactionSender governance;
  static Bytes32 teeModel;
  static final List<NodeApp> started = new ArrayList<>();
  static final List<Secp256k1.KeyPair> devnetValidators = new ArrayList<>();
  static int accounts;

  /** Where test-made registrations' nodes serve their enclave manifests, by SHA-256. */
  static final java.util.Map<String, byte[]> manifests =
      new java.util.concurrent.ConcurrentHashMap<>();

  static com.sun.net.httpserver.HttpServer manifestServer;

  @BeforeAll
  static void network() throws Exception {
    anvil = AnvilProcess.start();
    manifestServer =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    manifestServer.createContext(
        io.vouch.core.protocol.NodeProtocol.ENCLAVE_MANIFESTS_PREFIX,
        x -> {
          String hex =
              x.getRequestURI()
                  .getPath()
                  .substring(io.vouch.core.protocol.NodeProtocol.ENCLAVE_MANIFESTS_PREFIX.length());
          hex = hex.toLowerCase(java.util.Locale.ROOT);
          byte[] m = manifests.get(hex.startsWith("0x") ? hex.substring(2) : hex);
          x.sendResponseHeaders(m == null ? 404 : 200, m == null ? -1 : m.length);
          if (m != null) {
            x.getResponseBody().write(m);
          }
          x.close();
        });
    manifestServer.start();
    governance = TransactionSender.create(anvil.web3j(), anvil.devKeys().get(0));
    devnet = VouchDeployment.deploy(governance, VouchDeployment.Parameters.devnet());
    devnet.nodeRegistry(governance).allowMeasurement(TeeProfile.devMeasurement()).send();
    devRoot = DevRootAuthority.generate(Instant.now());
    hubServer =
        HubServer.start(
            ModelRepository.inMemory(new InMemoryContentStore()), HubServerConfig.loopback());
    byte[] onnx = TestModels.randomMlpOnnx(5, 8, 4, 3);
    String cid = HubClient.of(hubServer.uri()).pushBlob(onnx).toString();
    TransactionReceipt published =
        devnet
            .modelRegistry(governance)
            .publish(
                "tee-mlp",
                BigInteger.ONE,
                cid,
                OnnxModelFile.parse(onnx).schema().schemaHash().toArray(),
                new byte[32],
                BigInteger.valueOf(VerificationLevel.VANILLA.bit() | VerificationLevel.TEE.bit()),
                BigInteger.ZERO)
            .send();
    teeModel =
        Bytes32.wrap(
            io.vouch.chain.contracts.ModelRegistry.getModelPublishedEvents(published)
                .getFirst()
                .modelId);
    for (int i = 0; i < 3; i++) {
      Secp256k1.KeyPair k = funded("devnet-validator-" + i);
      devnetValidators.add(k);
      start(validator(devnet, k, "devnet-validator-" + i));
    }
    await("the court sits", () -> new CourtClient(governance, devnet).inSession());
  }

  @AfterAll
  static void tearDown() {
    started.forEach(NodeApp::stop);
    if (hubServer != null) {
      hubServer.close();
    }
    if (manifestServer != null) {
      manifestServer.stop(0);
    }
    if (anvil != null) {
      anvil.close();
    }
  }

  @AfterEach
  void booksBalance() throws Exception {
    booksBalance(devnet);
  }

  static void booksBalance(VouchDeployment d) throws Exception {
    assertThat(d.inferenceHub(governance).isBalanced().send()).as("hub books").isTrue();
    VerificationCourt court = d.verificationCourt(governance);
    assertThat(court.isBalanced().send()).as("court books").isTrue();
    assertThat(court.totalKeyFees().send()).as("no key approval fee left held").isZero();
  }

  // ------------------------------------------------------------------ the node's own key

  @Test
  void aTeeNodesKeyIsApprovedByTheValidatorsBeforeItsFirstResultOnChain() throws Exception {
    Secp256k1.KeyPair nodeKey = funded("tee-node");
    NodeApp node =
        start(
            new NodeApp(
                config(devnet, nodeKey),
                Clock.systemUTC(),
                settings(devnet, "tee-node", Set.of(NodeRole.INFERENCE))
                    .withTee(TeeProfile.development(devRoot))));
    Address enclaveKey = node.enclave().orElseThrow().signer().address();
    NodeRegistryClient registry = NodeRegistryClient.readOnly(anvil.web3j(), devnet);
    // nobody has mined since: the case's seed block is not there yet, so the key is pending
    assertThat(registry.enclaveKeyInfo(enclaveKey).status()).isEqualTo(KeyStatus.PENDING);
    assertThat(registry.isActiveEnclaveKey(nodeKey.address(), enclaveKey)).isFalse();
    assertThat(node.executor().enclave()).as("no TEE served before the approval").isEmpty();
    // assigned while the key is pending: the node holds it until the key is approved
    BigInteger early = requestTee(nodeKey.address());

    await(
        "a committee approves the key",
        () -> registry.enclaveKeyInfo(enclaveKey).status() == KeyStatus.APPROVED);

    NodeRegistryClient.EnclaveKeyRecord approved = registry.enclaveKeyInfo(enclaveKey);
    long registeredAt =
        registry
            .registration(nodeKey.address(), enclaveKey, approved.approvalCase())
            .orElseThrow()
            .blockNumber();
    assertThat(approved.approvedAtBlock()).isGreaterThan(registeredAt + 1);
    assertThat(registry.isActiveEnclaveKey(nodeKey.address(), enclaveKey)).isTrue();
    var c = new CourtClient(governance, devnet).getCase(approved.approvalCase());
    assertThat(c.members()).hasSize(3).doesNotContain(nodeKey.address());
    assertThat(c.committee()).filteredOn(s -> s.voted() && s.votedValid()).hasSizeGreaterThan(1);
    await("the waiting TEE assignment is served and settled", () -> status(early) == 3);
    long submittedAt;
    try (var events =
        new io.vouch.chain.events.HubEventWatcher(
            anvil.web3j(), devnet.inferenceHub(), devnet.deployedAtBlock())) {
      submittedAt =
          events.requestEvents(early).stream()
              .filter(e -> e instanceof io.vouch.chain.events.HubEvent.ResultSubmitted)
              .findFirst()
              .orElseThrow()
              .position()
              .blockNumber();
    }
    assertThat(submittedAt)
        .as("its first result after the approval")
        .isGreaterThan(approved.approvedAtBlock());
  }

  // ------------------------------------------------------------------ registrations that fail

  @Test
  void aMutatedDocumentIsVotedInvalidTheKeyNeverActivatesAndTheNodeIsSlashed() throws Exception {
    TransactionSender rogue = registeredNode(devnet, "mutating-node");
    EnclaveSigner enclave = devEnclave(devRoot, devnet, rogue.address());
    EnclaveKeyRegistration reg =
        enclave.registration(devnet.nodeRegistryDomain(), rogue.address(), Duration.ofHours(1));
    byte[] doc = reg.attestationDocument();
    doc[doc.length - 1] ^= 1; // the COSE signature's last byte

    assertRejectedAndSlashed(
        devnet, rogue, reg.enclaveKey(), register(devnet, rogue, reg, doc, reg.keyProof()));
  }

  @Test
  void aDocumentThatBindsAnotherKeyIsVotedInvalid() throws Exception {
    TransactionSender rogue = registeredNode(devnet, "other-key-node");
    EnclaveSigner attested = devEnclave(devRoot, devnet, rogue.address());
    EnclaveSigner claimed = devEnclave(devRoot, devnet, rogue.address());
    EnclaveKeyRegistration genuine =
        attested.registration(devnet.nodeRegistryDomain(), rogue.address(), Duration.ofHours(1));
    EnclaveKeyRegistration other =
        claimed.registration(devnet.nodeRegistryDomain(), rogue.address(), Duration.ofHours(1));
    // the claimed key proves possession, the document attests the other key
    EnclaveKeyRegistration mixed =
        new EnclaveKeyRegistration(
            other.enclaveKey(),
            genuine.measurement(),
            genuine.attestationDocHash(),
            genuine.docTimeSeconds(),
            genuine.expirySeconds(),
            genuine.attestationDocument(),
            other.keyProof());

    assertRejectedAndSlashed(
        devnet,
        rogue,
        mixed.enclaveKey(),
        register(devnet, rogue, mixed, mixed.attestationDocument(), mixed.keyProof()));
  }

  @Test
  void aWrongProofOfPossessionNeverGetsAKeyPending() throws Exception {
    TransactionSender rogue = registeredNode(devnet, "no-possession-node");
    EnclaveSigner enclave = devEnclave(devRoot, devnet, rogue.address());
    EnclaveKeyRegistration reg =
        enclave.registration(devnet.nodeRegistryDomain(), rogue.address(), Duration.ofHours(1));
    Signature notTheKeys =
        new io.vouch.core.eip712.EnclaveKeyBinding(rogue.address(), reg.enclaveKey())
            .sign(devnet.nodeRegistryDomain(), funded("no-possession-node"));

    ContractRevertException e =
        catchThrowableOfType(
            ContractRevertException.class,
            () -> register(devnet, rogue, reg, reg.attestationDocument(), notTheKeys));

    assertThat(NodeRegistryError.of(e)).contains(NodeRegistryError.INVALID_ENCLAVE_KEY_PROOF);
    assertThat(
            NodeRegistryClient.readOnly(anvil.web3j(), devnet)
                .enclaveKeyInfo(reg.enclaveKey())
                .status())
        .isEqualTo(KeyStatus.NONE);
  }

  @Test
  void aDevelopmentDocumentOnAProductionDeploymentIsVotedInvalidByItsValidators() throws Exception {
    VouchDeployment production =
        VouchDeployment.deploy(
            governance, VouchDeployment.Parameters.devnet().withDevelopmentAttestation(false));
    production.nodeRegistry(governance).allowMeasurement(TeeProfile.devMeasurement()).send();
    List<NodeApp> ownValidators = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      // they hold the AWS Nitro root, as a production deployment requires, and the development
      // root too, which they do not use on a deployment that does not allow development attestation
      ownValidators.add(
          start(
              validator(
                  production,
                  funded("production-validator-" + i),
                  "production-validator-" + i,
                  TeeTrust.attested()
                      .withDevelopmentRoot(devRoot.rootCertificate())
                      .withAwsRoot(awsRootPem()))));
    }
    await("the production court sits", () -> new CourtClient(governance, production).inSession());
    TransactionSender rogue = registeredNode(production, "dev-on-production-node");
    EnclaveSigner enclave = devEnclave(devRoot, production, rogue.address());
    EnclaveKeyRegistration reg =
        enclave.registration(production.nodeRegistryDomain(), rogue.address(), Duration.ofHours(1));

    assertRejectedAndSlashed(
        production,
        rogue,
        reg.enclaveKey(),
        register(production, rogue, reg, reg.attestationDocument(), reg.keyProof()));
    booksBalance(production);
    ownValidators.forEach(NodeApp::stop);
  }

  @Test
  void anApprovalVerdictReplayedForAnotherKeyIsRefused() throws Exception {
    TransactionSender node = registeredNode(devnet, "two-keys-node");
    EnclaveKeyRegistration first =
        devEnclave(devRoot, devnet, node.address())
            .registration(devnet.nodeRegistryDomain(), node.address(), Duration.ofHours(1));
    BigInteger firstCase =
        register(devnet, node, first, first.attestationDocument(), first.keyProof());
    NodeRegistryClient registry = NodeRegistryClient.readOnly(anvil.web3j(), devnet);
    await(
        "the validators approve the first key",
        () -> registry.enclaveKeyInfo(first.enclaveKey()).status() == KeyStatus.APPROVED);
    // the second registration: its case drawn (the validators keep), then a member's approval of
    // the first key is replayed on it before anyone judges it
    EnclaveKeyRegistration second =
        devEnclave(devRoot, devnet, node.address())
            .registration(devnet.nodeRegistryDomain(), node.address(), Duration.ofHours(1));
    Secp256k1.KeyPair member = devnetValidators.getFirst();
    Verdict approvalOfFirst =
        new Verdict(
            firstCase,
            firstCase.shiftRight(8),
            CourtClient.keySubject(first.enclaveKey()),
            first.attestationDocHash(),
            true,
            0);
    Signature signature = approvalOfFirst.sign(devnet.courtDomain(), member);
    BigInteger secondCase =
        register(devnet, node, second, second.attestationDocument(), second.keyProof());
    CourtClient court = new CourtClient(governance, devnet);

    CourtClient.VerdictOutcome onSecond =
        court.submitVerdict(
            new Verdict(
                secondCase,
                secondCase.shiftRight(8),
                approvalOfFirst.outputHash(),
                approvalOfFirst.evidenceHash(),
                true,
                0),
            signature);
    CourtClient.VerdictOutcome again = court.submitVerdict(approvalOfFirst, signature);

    assertThat(onSecond)
        .isIn(CourtClient.VerdictOutcome.WRONG_SUBJECT, CourtClient.VerdictOutcome.TOO_LATE);
    assertThat(again).isEqualTo(CourtClient.VerdictOutcome.TOO_LATE); // the first case is decided
    await(
        "the validators judge the second key themselves",
        () -> registry.enclaveKeyInfo(second.enclaveKey()).status() == KeyStatus.APPROVED);
    assertThat(court.getCase(secondCase).committee())
        .filteredOn(s -> s.voted())
        .allSatisfy(s -> assertThat(s.votedValid()).isTrue());
  }

  // ------------------------------------------------------------------ the deployment's anchors

  @Test
  void aValidatorWithoutTheAwsRootRefusesToStartOnAProductionDeployment() throws Exception {
    VouchDeployment production =
        VouchDeployment.deploy(
            governance, VouchDeployment.Parameters.devnet().withDevelopmentAttestation(false));
    Secp256k1.KeyPair key = funded("no-aws-root-validator");
    NodeApp devRootOnly = validator(production, key, "no-aws-root-validator");

    Throwable e = catchThrowableOfType(Exception.class, devRootOnly::start);
    devRootOnly.stop();

    assertThat(messages(e))
        .contains("accepts enclave keys attested under the AWS Nitro root only")
        .contains("--nitro-root PEM");
    assertThat(new CourtClient(governance, production).isActiveValidator(key.address()))
        .as("it did not register as a validator")
        .isFalse();
  }

  @Test
  void aValidatorWithoutTheDevelopmentRootRefusesToStartOnADevnet() throws Exception {
    NodeApp noRoot =
        validator(devnet, funded("no-root-validator"), "no-root-validator", TeeTrust.attested());

    Throwable e = catchThrowableOfType(Exception.class, noRoot::start);
    noRoot.stop();

    assertThat(messages(e))
        .contains("allows development attestation")
        .contains("--tee-dev-root FILE");
  }

  static String messages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t.getMessage()).append('\n');
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ stale or replayed documents

  @Test
  void aDocumentOlderThanTheDeploymentsMaximumAgeIsVotedInvalid() throws Exception {
    TransactionSender rogue = registeredNode(devnet, "stale-node");
    long maxAge = devnet.nodeRegistry(governance).MAX_ATTESTATION_AGE().send().longValueExact();
    // a genuine document of this node, made for a block of this chain, too long ago
    EnclaveSigner enclave =
        devEnclave(
            devRoot,
            devnet,
            rogue.address(),
            latestBlockHash(),
            Instant.ofEpochSecond(now() - maxAge - 120));
    EnclaveKeyRegistration reg =
        enclave.registration(devnet.nodeRegistryDomain(), rogue.address(), Duration.ofHours(1));

    BigInteger approvalCase =
        register(devnet, rogue, reg, reg.attestationDocument(), reg.keyProof());

    assertRejectedAndSlashed(devnet, rogue, reg.enclaveKey(), approvalCase);
  }

  @Test
  void aDocumentWhoseNonceIsNoBlockOfThisChainIsVotedInvalid() throws Exception {
    TransactionSender rogue = registeredNode(devnet, "foreign-nonce-node");
    byte[] anotherChainsBlock = Keccak.hash("a block of another chain").toArray();
    EnclaveSigner enclave =
        devEnclave(devRoot, devnet, rogue.address(), anotherChainsBlock, Instant.now());
    EnclaveKeyRegistration reg =
        enclave.registration(devnet.nodeRegistryDomain(), rogue.address(), Duration.ofHours(1));

    assertRejectedAndSlashed(
        devnet,
        rogue,
        reg.enclaveKey(),
        register(devnet, rogue, reg, reg.attestationDocument(), reg.keyProof()));
  }

  @Test
  void aGenuineDocumentReplayedByAnotherNodeIsVotedInvalid() throws Exception {
    TransactionSender honest = registeredNode(devnet, "attested-node");
    TransactionSender rogue = registeredNode(devnet, "replaying-node");
    // the enclave attested for the honest node; its key signs a proof of possession for the rogue
    EnclaveSigner enclave = devEnclave(devRoot, devnet, honest.address());
    EnclaveKeyRegistration reg =
        enclave.registration(devnet.nodeRegistryDomain(), rogue.address(), Duration.ofHours(1));

    assertRejectedAndSlashed(
        devnet,
        rogue,
        reg.enclaveKey(),
        register(devnet, rogue, reg, reg.attestationDocument(), reg.keyProof()));
  }

  @Test
  void aKeyWhoseNodeDoesNotServeItsManifestIsVotedInvalid() throws Exception {
    TransactionSender rogue = registeredNode(devnet, "no-manifest-node");
    EnclaveSigner enclave = devEnclave(devRoot, devnet, rogue.address());
    EnclaveKeyRegistration reg =
        enclave.registration(devnet.nodeRegistryDomain(), rogue.address(), Duration.ofHours(1));
    manifests.clear(); // the node answers 404 for the manifest its enclave attested

    assertRejectedAndSlashed(
        devnet,
        rogue,
        reg.enclaveKey(),
        register(devnet, rogue, reg, reg.attestationDocument(), reg.keyProof()));
  }

  // ------------------------------------------------------------------ helpers

  void assertRejectedAndSlashed(
      VouchDeployment d, TransactionSender rogue, Address enclaveKey, BigInteger approvalCase)
      throws Exception {
    NodeRegistryClient registry = NodeRegistryClient.readOnly(anvil.web3j(), d);
    BigInteger stakeBefore = registry.nodeInfo(rogue.address()).stakeWei();
    assertThat(registry.enclaveKeyInfo(enclaveKey).status()).isEqualTo(KeyStatus.PENDING);

    await(
        "the validators decide the key",
        () -> registry.enclaveKeyInfo(enclaveKey).status() != KeyStatus.PENDING);

    assertThat(registry.enclaveKeyInfo(enclaveKey).status()).isEqualTo(KeyStatus.REJECTED);
    assertThat(registry.isActiveEnclaveKey(rogue.address(), enclaveKey)).isFalse();
    var c = new CourtClient(governance, d).getCase(approvalCase);
    assertThat(c.committee()).filteredOn(s -> s.voted() && !s.votedValid()).hasSizeGreaterThan(1);
    assertThat(registry.nodeInfo(rogue.address()).stakeWei())
        .isEqualTo(stakeBefore.subtract(VouchDeployment.Court.devnet().slashWei()));
  }

  static BigInteger register(
      VouchDeployment d,
      TransactionSender node,
      EnclaveKeyRegistration reg,
      byte[] doc,
      Signature proof)
      throws Exception {
    NodeRegistry registry = d.nodeRegistry(node);
    TransactionReceipt r =
        registry
            .registerEnclaveKey(
                reg.enclaveKey().toHex(),
                reg.measurement(),
                Keccak.hash(doc).toArray(),
                BigInteger.valueOf(reg.docTimeSeconds()),
                BigInteger.valueOf(reg.expirySeconds()),
                doc,
                proof.toArray(),
                d.verificationCourt(node).keyApprovalFee().send())
            .send();
    return NodeRegistry.getEnclaveKeyRegisteredEvents(r).getFirst().approvalCase;
  }

  /**
   * A development enclave under {@code root} whose key is attested for {@code operator} now, with
   * the latest block's hash as nonce, as a node's enclave does; its manifest is served.
   */
  static EnclaveSigner devEnclave(DevRootAuthority root, VouchDeployment d, Address operator)
      throws Exception {
    return devEnclave(root, d, operator, latestBlockHash(), Instant.now());
  }

  /** Like {@link #devEnclave(DevRootAuthority, VouchDeployment, Address)}, nonce and time given. */
  static EnclaveSigner devEnclave(
      DevRootAuthority root, VouchDeployment d, Address operator, byte[] nonce, Instant time) {
    var enclave =
        root.startEnclave(
            TeeProfile.DEV_NODE_SOFTWARE_ID.getBytes(StandardCharsets.US_ASCII),
            TeeProfile.DEV_ENCLAVE_CONFIG_ID.getBytes(StandardCharsets.US_ASCII),
            time.minusSeconds(60));
    EnclaveSigner signer = EnclaveSigner.generate(enclave::attest, new SecureRandom());
    EnclaveManifest manifest =
        new EnclaveManifest(
            TeeProfile.nodeSoftwareMeasurement(),
            List.of(teeModel),
            d.chainId(),
            d.nodeRegistry(),
            operator);
    manifests.put(io.vouch.core.Hex.encode(manifest.userData()), manifest.canonicalBytes());
    signer.attest(manifest, nonce, time);
    return signer;
  }

  static byte[] latestBlockHash() throws Exception {
    return Bytes32.fromHex(
            anvil
                .web3j()
                .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                .send()
                .getBlock()
                .getHash())
        .toArray();
  }

  static TransactionSender registeredNode(VouchDeployment d, String label) throws Exception {
    TransactionSender s = TransactionSender.create(anvil.web3j(), funded(label));
    d.nodeRegistry(s)
        .register(
            BigInteger.ONE,
            "http://127.0.0.1:" + manifestServer.getAddress().getPort(),
            BigInteger.valueOf(VerificationLevel.VANILLA.bit() | VerificationLevel.TEE.bit()),
            PRICE,
            List.of(),
            ETH.multiply(BigInteger.TWO))
        .send();
    return s;
  }

  static NodeApp validator(VouchDeployment d, Secp256k1.KeyPair key, String name) {
    return validator(
        d, key, name, TeeTrust.attested().withDevelopmentRoot(devRoot.rootCertificate()));
  }

  static NodeApp validator(VouchDeployment d, Secp256k1.KeyPair key, String name, TeeTrust trust) {
    return new NodeApp(
        config(d, key),
        Clock.systemUTC(),
        settings(d, name, Set.of(NodeRole.VALIDATOR)).withValidatorTrust(trust));
  }

  /** The pinned AWS Nitro root, from the shared fixtures. */
  static Path awsRootPem() {
    Path pem =
        Path.of(System.getProperty("vouch.shared", "../../shared"))
            .resolve("fixtures/tee/roots/aws-nitro-root.pem");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isRegularFile(pem), "the AWS Nitro root fixture is at " + pem);
    return pem;
  }

  static NodeConfig config(VouchDeployment d, Secp256k1.KeyPair key) {
    return new NodeConfig(
        "127.0.0.1", 0, key, d.chainId(), d.inferenceHub(), 1 << 16, 1 << 20, PRICE);
  }

  static ChainSettings settings(VouchDeployment d, String name, Set<NodeRole> roles) {
    return new ChainSettings(
            anvil.rpcUrl(),
            d,
            ETH.multiply(BigInteger.TWO),
            List.of(hubServer.uri()),
            ModelProvisioner.servingAll(),
            dir.resolve(name).resolve("journal.jsonl"),
            Duration.ofMillis(150),
            null)
        .withSettlement(
            io.vouch.node.settlement.SettlementSettings.defaults().withRequireVouchers(false))
        .withRoles(roles);
  }

  static NodeApp start(NodeApp n) throws Exception {
    n.start();
    started.add(n);
    return n;
  }

  static Secp256k1.KeyPair funded(String label) {
    Secp256k1.KeyPair k =
        Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("key-approval-test/" + label + accounts));
    accounts++;
    anvil.setBalance(k.address(), ETH.multiply(BigInteger.valueOf(100)));
    return k;
  }

  static BigInteger requestTee(Address preferred) throws Exception {
    Tensor in = Tensor.ofFloats(new int[] {1, 8}, new float[] {1, 2, 3, 4, 5, 6, 7, 8});
    TransactionReceipt r =
        devnet
            .inferenceHub(governance)
            .request(
                teeModel.toArray(),
                in.canonicalBytes(),
                in.hash().toArray(),
                BigInteger.valueOf(VerificationLevel.TEE.code()),
                BigInteger.valueOf(now() + 600),
                preferred.toHex(),
                Address.ZERO.toHex(),
                BigInteger.ZERO,
                false,
                FEE)
            .send();
    return InferenceHub.getInferenceRequestedEvents(r).getFirst().requestId;
  }

  static int status(BigInteger requestId) {
    try {
      return devnet.inferenceHub(governance).statusOf(requestId).send().intValueExact();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long now() throws Exception {
    return anvil
        .web3j()
        .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
        .send()
        .getBlock()
        .getTimestamp()
        .longValueExact();
  }

  interface Check {
    boolean get() throws Exception;
  }

  /** Waits, mining a block each round so that seeds become known as on a live chain. */
  static void await(String what, Check condition) throws Exception {
    for (int i = 0; i < 400; i++) {
      if (condition.get()) {
        return;
      }
      anvil.mine();
      Thread.sleep(150);
    }
    throw new AssertionError("timed out waiting for: " + what);
  }
}
