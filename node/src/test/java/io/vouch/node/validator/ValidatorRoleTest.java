package io.vouch.node.validator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vouch.chain.AnvilProcess;
import io.vouch.chain.EscrowBooks;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.chain.court.CourtCase;
import io.vouch.chain.court.CourtClient;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.tensor.Tensor;
import io.vouch.hub.http.HubServer;
import io.vouch.hub.http.HubServerConfig;
import io.vouch.hub.repo.ModelRepository;
import io.vouch.hub.store.InMemoryContentStore;
import io.vouch.node.ChainSettings;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.NodeRole;
import io.vouch.node.TestModelPublisher;
import io.vouch.node.chain.ModelProvisioner;
import io.vouch.onnx.testmodels.TestModels;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The validator role on real anvil with real node processes' parts in process: a ZK-enabled model
 * published through a model hub, one inference node, and four validator nodes (the court sits from
 * four). ZKML requests routed through the court are judged by the validators' roles alone: they
 * draw the committee as keepers, fetch the proof from the executing node by its hash, verify it
 * with the ZkmlVerifier, sign and send EIP-712 verdicts. Forged, replayed, cross-chain and
 * off-committee verdicts are refused by the court: chain's SignedVerdictTest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ValidatorRoleTest {
  static final io.vouch.tee.dev.DevRootAuthority DEV_ROOT =
      io.vouch.tee.dev.DevRootAuthority.generate(java.time.Instant.now());

  static final BigInteger ETH = BigInteger.TEN.pow(18);
  static final BigInteger PRICE = ETH.divide(BigInteger.valueOf(1_000));
  static final BigInteger FEE = ETH.divide(BigInteger.valueOf(100));
  static final VouchDeployment.Court COURT = VouchDeployment.Court.devnet();

  @TempDir static Path dir;
  static AnvilProcess anvil;
  static VouchDeployment deployment;
  static HubServer hubServer;
  static TransactionSender requester;
  static Bytes32 modelId;
  static byte[] zkOnnx;
  static Bytes32 auditedModel; // VANILLA, every result audited
  static byte[] auditedOnnx;
  static Bytes32 unauditedModel; // VANILLA, never audited: only challenges protect it
  static NodeApp inference;
  static Secp256k1.KeyPair inferenceKey;
  static final List<Secp256k1.KeyPair> validatorKeys = new ArrayList<>();
  static final List<NodeApp> validators = new ArrayList<>();
  static HttpServer withholding;

  @BeforeAll
  static void network() throws Exception {
    anvil = AnvilProcess.start();
    TransactionSender deployer = TransactionSender.create(anvil.web3j(), anvil.devKeys().get(0));
    deployment = VouchDeployment.deploy(deployer, VouchDeployment.Parameters.devnet());
    requester = TransactionSender.create(anvil.web3j(), anvil.devKeys().get(1));
    hubServer =
        HubServer.start(
            ModelRepository.inMemory(new InMemoryContentStore()), HubServerConfig.loopback());
    zkOnnx = TestModels.randomMlpOnnx(7, 8, 4, 3);
    modelId =
        TestModelPublisher.publishZk(deployment, requester, hubServer.uri(), "zk-mlp", zkOnnx);

    auditedOnnx = TestModels.randomMlpOnnx(3, 6, 4, 3);
    auditedModel =
        TestModelPublisher.publishAudited(
            deployment, requester, hubServer.uri(), "audited-mlp", auditedOnnx, 10_000);

    unauditedModel =
        TestModelPublisher.publishAudited(
            deployment, requester, hubServer.uri(), "unaudited-mlp", auditedOnnx, 0);

    inferenceKey = funded("inference");
    inference = node(inferenceKey, "inference", Set.of(NodeRole.INFERENCE));
    inference.start();
    for (int i = 0; i < 4; i++) {
      Secp256k1.KeyPair k = funded("validator-" + i);
      validatorKeys.add(k);
      validators.add(startValidator(i));
    }
    CourtClient court = court(requester);
    await("the court sits", court::inSession);
    await(
        "the inference node serves the model at ZKML",
        () ->
            call(() ->
                deployment
                    .nodeRegistry(requester)
                    .isEligible(
                        inferenceKey.address().toHex(),
                        modelId.toArray(),
                        BigInteger.valueOf(VerificationLevel.ZKML.code()))
                    .send()));
  }

  @AfterAll
  static void tearDown() {
    validators.forEach(NodeApp::stop);
    if (inference != null) {
      inference.stop();
    }
    if (withholding != null) {
      withholding.stop(0);
    }
    if (hubServer != null) {
      hubServer.close();
    }
    if (anvil != null) {
      anvil.close();
    }
  }

  static Secp256k1.KeyPair funded(String label) {
    Secp256k1.KeyPair k = Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("validator-test/" + label));
    anvil.setBalance(k.address(), ETH.multiply(BigInteger.valueOf(100)));
    return k;
  }

  static NodeApp startValidator(int i) throws Exception {
    NodeApp v = node(validatorKeys.get(i), "validator-" + i, Set.of(NodeRole.VALIDATOR));
    v.start();
    return v;
  }

  static NodeApp node(Secp256k1.KeyPair key, String name, Set<NodeRole> roles) {
    return new NodeApp(
        new NodeConfig(
            "127.0.0.1",
            0,
            key,
            deployment.chainId(),
            deployment.inferenceHub(),
            1 << 16,
            1 << 20,
            PRICE),
        Clock.systemUTC(),
        new ChainSettings(
                anvil.rpcUrl(),
                deployment,
                ETH.multiply(BigInteger.TWO),
                List.of(hubServer.uri()),
                ModelProvisioner.servingAll(),
                dir.resolve(name).resolve("journal.jsonl"),
                Duration.ofMillis(150),
                null)
            .withRoles(roles)
            // the devnet's development root: the anchor its deployment accepts enclave keys under
            .withValidatorTrust(
                io.vouch.evidence.TeeTrust.attested()
                    .withDevelopmentRoot(DEV_ROOT.rootCertificate()))
            // every unaudited VANILLA result re-executed (only unauditedModel has such results)
            .withChallengeRate(roles.contains(NodeRole.VALIDATOR) ? 10_000 : 0));
  }

  static CourtClient court(TransactionSender s) {
    return new CourtClient(s, deployment);
  }

  interface Check {
    boolean get() throws Exception;
  }

  static boolean call(Check c) {
    try {
      return c.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits, mining a block each round so that seeds become known as on a live chain. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 400; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      anvil.mine();
      Thread.sleep(150);
    }
    throw new AssertionError("timed out waiting for: " + what);
  }

  static Tensor input(float seed) {
    float[] v = new float[8];
    for (int i = 0; i < v.length; i++) {
      v[i] = (seed + i) / 10f;
    }
    return Tensor.ofFloats(new int[] {1, 8}, v);
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

  static BigInteger request(Tensor in, Address preferred) throws Exception {
    return request(modelId, VerificationLevel.ZKML, in, preferred);
  }

  static BigInteger request(Bytes32 model, VerificationLevel level, Tensor in, Address preferred)
      throws Exception {
    TransactionReceipt r =
        deployment
            .inferenceHub(requester)
            .request(
                model.toArray(),
                in.canonicalBytes(),
                in.hash().toArray(),
                BigInteger.valueOf(level.code()),
                BigInteger.valueOf(now() + 600),
                preferred.toHex(),
                Address.ZERO.toHex(),
                BigInteger.ZERO,
                false,
                FEE)
            .send();
    return InferenceHub.getInferenceRequestedEvents(r).getFirst().requestId;
  }

  static int status(BigInteger id) {
    try {
      return deployment.inferenceHub(requester).statusOf(id).send().intValueExact();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void assertBooks() throws Exception {
    InferenceHub hub = deployment.inferenceHub(requester);
    assertThat(hub.isBalanced().send()).as("hub books").isTrue();
    assertThat(hub.totalEscrowed().send()).as("nothing left in escrow").isZero();
    VerificationCourt c = deployment.verificationCourt(requester);
    assertThat(c.isBalanced().send()).as("court books").isTrue();
  }

  /**
   * Verdicts cast on chain in {@code caseId}, as (member, valid) pairs, from the court's events.
   */
  static List<VerificationCourt.VerdictCastEventResponse> verdictsCast(BigInteger caseId)
      throws Exception {
    var filter =
        new org.web3j.protocol.core.methods.request.EthFilter(
            org.web3j.protocol.core.DefaultBlockParameter.valueOf(
                BigInteger.valueOf(deployment.deployedAtBlock())),
            DefaultBlockParameterName.LATEST,
            deployment.verificationCourt().toHex());
    filter.addSingleTopic(org.web3j.abi.EventEncoder.encode(VerificationCourt.VERDICTCAST_EVENT));
    filter.addSingleTopic(String.format("0x%064x", caseId));
    List<VerificationCourt.VerdictCastEventResponse> out = new ArrayList<>();
    for (var r : anvil.web3j().ethGetLogs(filter).send().getLogs()) {
      out.add(
          VerificationCourt.getVerdictCastEventFromLog(
              (org.web3j.protocol.core.methods.response.Log) r.get()));
    }
    return out;
  }

  static BigInteger lastCaseOf(BigInteger id) throws Exception {
    int attempts =
        deployment.inferenceHub(requester).getRequest(id).send().attempts.intValueExact();
    return CourtClient.caseIdOf(id, attempts);
  }

  static int signedEntries() {
    int n = 0;
    for (NodeApp v : validators) {
      n += v.validator().orElseThrow().journal().seats().size();
    }
    return n;
  }

  static BigInteger firstValidCase;

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
  void aZkmlResultIsFinalizedByAValidQuorumOfValidatorRolesAlone() throws Exception {
    BigInteger id = request(input(1), Address.ZERO);

    await("finalized by the committee", () -> status(id) == 3);

    BigInteger caseId = lastCaseOf(id);
    CourtCase c = court(requester).getCase(caseId);
    assertThat(c.state()).isEqualTo(CourtCase.State.VALID);
    assertThat(c.kind()).isEqualTo(CourtCase.Kind.ZKML);
    assertThat(c.members()).hasSize(COURT.committeeSize()).doesNotContain(inferenceKey.address());
    var cast = verdictsCast(caseId);
    assertThat(cast).hasSizeGreaterThanOrEqualTo(2).allMatch(v -> v.valid);
    assertThat(cast).allMatch(v -> v.relayed); // signed EIP-712 verdicts
    assertThat(cast.stream().map(v -> v.member).distinct().count()).isEqualTo(cast.size());
    assertBooks();
    firstValidCase = caseId;
  }

  @Test
  @Order(2)
  void restartedValidatorsNeitherLoseNorDoubleAVerdict() throws Exception {
    assertThat(firstValidCase).as("runs after the first test").isNotNull();
    // the quorum may finalize before the last member's next round: let every member journal its
    // seat and close it first, so that what is counted below is the settled journal
    List<Address> members = court(requester).getCase(firstValidCase).members();
    await(
        "every member journaled its seat and closed it",
        () -> {
          for (int i = 0; i < validators.size(); i++) {
            var journal = validators.get(i).validator().orElseThrow().journal();
            boolean seated =
                journal.seats().stream().anyMatch(s -> s.caseId().equals(firstValidCase));
            if (members.contains(validatorKeys.get(i).address()) != seated
                || !journal.open().isEmpty()) {
              return false;
            }
          }
          return true;
        });
    int before = signedEntries();
    int castBefore = verdictsCast(firstValidCase).size();
    for (int i = 0; i < validators.size(); i++) {
      validators.get(i).stop();
      validators.set(i, startValidator(i));
    }
    for (int i = 0; i < 10; i++) {
      anvil.mine();
      Thread.sleep(150); // several polling rounds over the same history
    }

    assertThat(signedEntries()).as("seats and verdicts as journaled, none new").isEqualTo(before);
    assertThat(verdictsCast(firstValidCase)).hasSize(castBefore);
    for (NodeApp v : validators) {
      assertThat(v.validator().orElseThrow().journal().open()).as("nothing left open").isEmpty();
    }

    // and a restarted validator still judges: the next request finalizes too
    BigInteger id = request(input(2), Address.ZERO);
    await("finalized after the restart", () -> status(id) == 3);
    assertBooks();
  }

  @Test
  @Order(3)
  void aNodeThatWithholdsItsProofIsVotedInvalidSlashedAndTheRequestAnsweredByAnother()
      throws Exception {
    // a node that answers 404 for every proof it is asked for
    withholding = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    withholding.createContext(
        "/",
        ex -> {
          ex.sendResponseHeaders(404, -1);
          ex.close();
        });
    withholding.start();
    liarKey = funded("liar");
    TransactionSender liar = TransactionSender.create(anvil.web3j(), liarKey);
    deployment
        .nodeRegistry(liar)
        .register(
            BigInteger.ONE,
            "http://127.0.0.1:" + withholding.getAddress().getPort(),
            BigInteger.valueOf(VerificationLevel.ZKML.bit() | VerificationLevel.VANILLA.bit()),
            PRICE,
            List.of(modelId.toArray(), auditedModel.toArray()),
            ETH.multiply(BigInteger.TWO))
        .send();
    BigInteger stakeBefore =
        deployment.nodeRegistry(requester).stakeOf(liarKey.address().toHex()).send();
    Tensor in = input(3);
    BigInteger id = request(in, liarKey.address());
    assertThat(Address.fromHex(deployment.inferenceHub(requester).getRequest(id).send().node))
        .isEqualTo(liarKey.address());

    // a wrong output, and a proof hash it will not serve
    Tensor wrong = Tensor.ofLongs(new int[] {1, 3}, 900, 0, 0);
    Bytes32 evidence = Keccak.hash("a proof nobody will see");
    InferenceReceipt receipt =
        new InferenceReceipt(
            Bytes32.fromUint(id),
            modelId,
            in.hash(),
            wrong.hash(),
            VerificationLevel.ZKML,
            evidence,
            liarKey.address(),
            now(),
            1);
    deployment
        .inferenceHub(liar)
        .submitResult(
            id,
            wrong.hash().toArray(),
            wrong.canonicalBytes(),
            evidence.toArray(),
            BigInteger.valueOf(receipt.timestamp()),
            BigInteger.ONE,
            receipt.sign(deployment.domain(), liarKey).toArray())
        .send();
    BigInteger liarCase = lastCaseOf(id);

    await(
        "the liar's case decided",
        () -> court(requester).getCase(liarCase).state() == CourtCase.State.INVALID);
    assertThat(verdictsCast(liarCase)).isNotEmpty().noneMatch(v -> v.valid);
    assertThat(deployment.nodeRegistry(requester).stakeOf(liarKey.address().toHex()).send())
        .isEqualTo(stakeBefore.subtract(COURT.slashWei()));

    await("answered by the honest node and finalized", () -> status(id) == 3);
    InferenceHub.Request r = deployment.inferenceHub(requester).getRequest(id).send();
    assertThat(Address.fromHex(r.node)).isEqualTo(inferenceKey.address());
    assertThat(court(requester).getCase(lastCaseOf(id)).state()).isEqualTo(CourtCase.State.VALID);
    assertBooks();
  }

  static Secp256k1.KeyPair liarKey;

  @Test
  @Order(4)
  void aVanillaResultSelectedForAuditIsReExecutedAndConfirmed() throws Exception {
    Tensor in = Tensor.ofFloats(new int[] {1, 6}, 1, 2, 3, 4, 5, 6);
    BigInteger id = request(auditedModel, VerificationLevel.VANILLA, in, inferenceKey.address());

    await("finalized by the audit's quorum", () -> status(id) == 3);

    CourtCase c = court(requester).getCase(lastCaseOf(id));
    assertThat(c.kind()).isEqualTo(CourtCase.Kind.AUDIT);
    assertThat(c.auditSelected()).isTrue();
    assertThat(c.state()).isEqualTo(CourtCase.State.VALID);
    assertThat(verdictsCast(c.caseId())).hasSizeGreaterThanOrEqualTo(2).allMatch(v -> v.valid);
    assertBooks();
  }

  @Test
  @Order(5)
  void aWrongVanillaOutputIsFoundByReExecutionAndItsNodeSlashed() throws Exception {
    assertThat(liarKey).as("registered by the withholding test").isNotNull();
    TransactionSender liar = TransactionSender.create(anvil.web3j(), liarKey);
    BigInteger stakeBefore =
        deployment.nodeRegistry(requester).stakeOf(liarKey.address().toHex()).send();
    Tensor in = Tensor.ofFloats(new int[] {1, 6}, 6, 5, 4, 3, 2, 1);
    BigInteger id = request(auditedModel, VerificationLevel.VANILLA, in, liarKey.address());
    Tensor wrong;
    try (var engine = io.vouch.onnx.OnnxRuntimeEngine.load(auditedOnnx)) {
      Tensor right = engine.run(in);
      float[] v = new float[Math.toIntExact(right.elementCount())];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) right.getAsDouble(i) + 0.01f; // same argmax, off by more than ε
      }
      wrong = Tensor.ofFloats(right.shape(), v);
    }
    InferenceReceipt receipt =
        new InferenceReceipt(
            Bytes32.fromUint(id),
            auditedModel,
            in.hash(),
            wrong.hash(),
            VerificationLevel.VANILLA,
            Bytes32.ZERO,
            liarKey.address(),
            now(),
            2);
    deployment
        .inferenceHub(liar)
        .submitResult(
            id,
            wrong.hash().toArray(),
            wrong.canonicalBytes(),
            Bytes32.ZERO.toArray(),
            BigInteger.valueOf(receipt.timestamp()),
            BigInteger.TWO,
            receipt.sign(deployment.domain(), liarKey).toArray())
        .send();
    BigInteger liarCase = lastCaseOf(id);

    await(
        "the audit decided",
        () -> court(requester).getCase(liarCase).state() == CourtCase.State.INVALID);
    assertThat(verdictsCast(liarCase)).isNotEmpty().noneMatch(v -> v.valid);
    assertThat(deployment.nodeRegistry(requester).stakeOf(liarKey.address().toHex()).send())
        .isEqualTo(stakeBefore.subtract(COURT.slashWei()));
    await("answered by the honest node and finalized", () -> status(id) == 3);
    assertThat(Address.fromHex(deployment.inferenceHub(requester).getRequest(id).send().node))
        .isEqualTo(inferenceKey.address());
    assertBooks();
    deployment.nodeRegistry(liar).requestUnbond().send(); // leaves every pool
  }

  @Test
  @Order(5)
  void aWrongUnauditedVanillaResultIsChallengedByAValidatorAndOverturned() throws Exception {
    Secp256k1.KeyPair key = funded("unaudited-liar");
    TransactionSender liar = TransactionSender.create(anvil.web3j(), key);
    deployment
        .nodeRegistry(liar)
        .register(
            BigInteger.ONE,
            "http://127.0.0.1:9",
            BigInteger.valueOf(VerificationLevel.VANILLA.bit()),
            PRICE,
            List.of(unauditedModel.toArray()),
            ETH.multiply(BigInteger.TWO))
        .send();
    BigInteger stakeBefore =
        deployment.nodeRegistry(requester).stakeOf(key.address().toHex()).send();
    Tensor in = Tensor.ofFloats(new int[] {1, 6}, 2, 7, 1, 8, 2, 8);
    BigInteger id = request(unauditedModel, VerificationLevel.VANILLA, in, key.address());
    Tensor wrong;
    try (var engine = io.vouch.onnx.OnnxRuntimeEngine.load(auditedOnnx)) {
      Tensor right = engine.run(in);
      float[] v = new float[Math.toIntExact(right.elementCount())];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) right.getAsDouble(i) + 0.5f; // same argmax, far outside ε
      }
      wrong = Tensor.ofFloats(right.shape(), v);
    }
    InferenceReceipt receipt =
        new InferenceReceipt(
            Bytes32.fromUint(id),
            unauditedModel,
            in.hash(),
            wrong.hash(),
            VerificationLevel.VANILLA,
            Bytes32.ZERO,
            key.address(),
            now(),
            1);
    deployment
        .inferenceHub(liar)
        .submitResult(
            id,
            wrong.hash().toArray(),
            wrong.canonicalBytes(),
            Bytes32.ZERO.toArray(),
            BigInteger.valueOf(receipt.timestamp()),
            BigInteger.ONE,
            receipt.sign(deployment.domain(), key).toArray())
        .send();
    BigInteger liarCase = lastCaseOf(id);

    await(
        "challenged, judged by a committee and overturned",
        () -> court(requester).getCase(liarCase).state() == CourtCase.State.INVALID);
    CourtCase c = court(requester).getCase(liarCase);
    assertThat(c.auditSelected()).as("the lottery at 0 %% never selects").isFalse();
    assertThat(c.kind()).isEqualTo(CourtCase.Kind.CHALLENGE);
    assertThat(validatorKeys.stream().map(Secp256k1.KeyPair::address))
        .as("a validator challenged it")
        .contains(c.challenger());
    assertThat(c.committee().stream().map(CourtCase.Seat::member))
        .as("the challenger never judges its own challenge")
        .doesNotContain(c.challenger());
    assertThat(deployment.nodeRegistry(requester).stakeOf(key.address().toHex()).send())
        .isEqualTo(stakeBefore.subtract(COURT.slashWei()));
    await("answered by the honest node and finalized", () -> status(id) == 3);
    assertThat(Address.fromHex(deployment.inferenceHub(requester).getRequest(id).send().node))
        .isEqualTo(inferenceKey.address());
    assertBooks();
    deployment.nodeRegistry(liar).requestUnbond().send(); // leaves every pool
  }

  @Test
  @Order(6)
  void aVerdictJournaledBeforeACrashIsSentAfterTheRestartAndNoOtherIsSigned() throws Exception {
    validators.forEach(NodeApp::stop);
    BigInteger id = request(input(4), inferenceKey.address());
    await("submitted", () -> status(id) == 2);
    BigInteger caseId = lastCaseOf(id);
    CourtClient keeper = court(requester);
    await(
        "drawn by a keeper",
        () -> keeper.drawIfDue(caseId) || keeper.getCase(caseId).state() == CourtCase.State.VOTING);
    CourtCase c = keeper.getCase(caseId);
    Address member = c.members().getFirst();
    int index = -1;
    for (int i = 0; i < validatorKeys.size(); i++) {
      if (validatorKeys.get(i).address().equals(member)) {
        index = i;
      }
    }
    // the member signed and journaled its verdict, then died before sending it
    io.vouch.chain.events.HubEvent.ResultSubmitted submitted = null;
    try (var w =
        new io.vouch.chain.events.HubEventWatcher(
            anvil.web3j(), deployment.inferenceHub(), deployment.deployedAtBlock())) {
      for (var e : w.requestEvents(id)) {
        if (e instanceof io.vouch.chain.events.HubEvent.ResultSubmitted r) {
          submitted = r;
        }
      }
    }
    io.vouch.core.eip712.Verdict v =
        new io.vouch.core.eip712.Verdict(
            caseId, id, submitted.outputHash(), submitted.evidenceHash(), true, c.round());
    var signature = v.sign(deployment.courtDomain(), validatorKeys.get(index));
    Path journal = dir.resolve("validator-" + index).resolve("verdicts.jsonl");
    try (VerdictJournal j = VerdictJournal.open(journal)) {
      j.seat(new VerdictJournal.Seat(caseId, c.round()));
      j.signed(v, signature);
    }

    validators.set(index, startValidator(index)); // first, so that its verdict is not too late
    for (int i = 0; i < validators.size(); i++) {
      if (i != index) {
        validators.set(i, startValidator(i));
      }
    }
    await("finalized", () -> status(id) == 3);

    var fromMember =
        verdictsCast(caseId).stream()
            .filter(e -> Address.fromHex(e.member).equals(member))
            .toList();
    assertThat(fromMember).hasSize(1);
    assertThat(fromMember.getFirst().valid).isTrue();
    VerdictJournal after = validators.get(index).validator().orElseThrow().journal();
    VerdictJournal.Seat seat = new VerdictJournal.Seat(caseId, c.round());
    // the role reads a verdict's receipt on a later block than the one it sent it in
    await(
        "the member's journal records its verdict's outcome", () -> after.done().containsKey(seat));
    assertThat(after.done().get(seat))
        .as("the journaled verdict was sent, none signed anew")
        .isIn("COUNTED", "ALREADY_COUNTED");
    assertBooks();
  }

  @Test
  @Order(7)
  void aZkmlOutputThatItsServedProofDoesNotProveIsVotedInvalid() throws Exception {
    io.vouch.zk.mlp.ZkModel zk =
        io.vouch.zk.mlp.ZkCompiler.compile(io.vouch.onnx.OnnxModelFile.parse(zkOnnx), null, 0.9)
            .model();
    assertThat(
            Bytes32.wrap(
                deployment.modelRegistry(requester).getModel(modelId.toArray()).send().zkModelId))
        .isEqualTo(zk.modelId());
    // a node that proves the right answer and submits another one, serving the real proof
    java.util.Map<String, byte[]> proofs = new java.util.concurrent.ConcurrentHashMap<>();
    HttpServer serving = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    serving.createContext(
        "/v1/proofs/",
        ex -> {
          byte[] body = proofs.get(ex.getRequestURI().getPath().substring("/v1/proofs/".length()));
          if (body == null) {
            ex.sendResponseHeaders(404, -1);
          } else {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
    serving.start();
    try {
      Secp256k1.KeyPair cheatKey = funded("cheat");
      TransactionSender cheat = TransactionSender.create(anvil.web3j(), cheatKey);
      deployment
          .nodeRegistry(cheat)
          .register(
              BigInteger.ONE,
              "http://127.0.0.1:" + serving.getAddress().getPort(),
              BigInteger.valueOf(VerificationLevel.ZKML.bit()),
              PRICE,
              List.of(modelId.toArray()),
              ETH.multiply(BigInteger.TWO))
          .send();
      Tensor in = input(5);
      BigInteger id = request(in, cheatKey.address());
      float[] x = new float[8];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) in.getAsDouble(i);
      }
      var proved =
          io.vouch.zk.mlp.ZkProver.prove(zk, Bytes32.fromUint(id).toArray(), zk.quantizeInput(x));
      byte[] proof = proved.proof().toBytes();
      Bytes32 evidence = Keccak.hash(proof);
      proofs.put(evidence.toHex(), proof);
      long[] logits = proved.logits().clone();
      logits[0] += 1_000; // not what the proof proves
      Tensor wrong = Tensor.ofLongs(new int[] {1, logits.length}, logits);
      InferenceReceipt receipt =
          new InferenceReceipt(
              Bytes32.fromUint(id),
              modelId,
              in.hash(),
              wrong.hash(),
              VerificationLevel.ZKML,
              evidence,
              cheatKey.address(),
              now(),
              1);
      deployment
          .inferenceHub(cheat)
          .submitResult(
              id,
              wrong.hash().toArray(),
              wrong.canonicalBytes(),
              evidence.toArray(),
              BigInteger.valueOf(receipt.timestamp()),
              BigInteger.ONE,
              receipt.sign(deployment.domain(), cheatKey).toArray())
          .send();
      BigInteger cheatCase = lastCaseOf(id);

      await(
          "the cheat's case decided",
          () -> court(requester).getCase(cheatCase).state() == CourtCase.State.INVALID);
      assertThat(verdictsCast(cheatCase)).isNotEmpty().noneMatch(v -> v.valid);
      assertThat(deployment.nodeRegistry(requester).stakeOf(cheatKey.address().toHex()).send())
          .isEqualTo(ETH.multiply(BigInteger.TWO).subtract(COURT.slashWei()));
      await("answered by the honest node and finalized", () -> status(id) == 3);
      assertBooks();
      deployment.nodeRegistry(cheat).requestUnbond().send(); // leaves every pool
    } finally {
      serving.stop(0);
    }
  }

  @Test
  @Order(8)
  void aNodeThatCannotBeReachedForItsProofIsVotedInvalidAfterAThirdOfTheWindow() throws Exception {
    java.net.ServerSocket closed = new java.net.ServerSocket(0);
    int port = closed.getLocalPort();
    closed.close(); // nothing listens there: connections are refused
    Secp256k1.KeyPair goneKey = funded("gone");
    TransactionSender gone = TransactionSender.create(anvil.web3j(), goneKey);
    deployment
        .nodeRegistry(gone)
        .register(
            BigInteger.ONE,
            "http://127.0.0.1:" + port,
            BigInteger.valueOf(VerificationLevel.ZKML.bit()),
            PRICE,
            List.of(modelId.toArray()),
            ETH.multiply(BigInteger.TWO))
        .send();
    Tensor in = input(6);
    BigInteger id = request(in, goneKey.address());
    Tensor output = Tensor.ofLongs(new int[] {1, 3}, 1, 2, 3);
    Bytes32 evidence = Keccak.hash("unreachable proof");
    InferenceReceipt receipt =
        new InferenceReceipt(
            Bytes32.fromUint(id),
            modelId,
            in.hash(),
            output.hash(),
            VerificationLevel.ZKML,
            evidence,
            goneKey.address(),
            now(),
            1);
    deployment
        .inferenceHub(gone)
        .submitResult(
            id,
            output.hash().toArray(),
            output.canonicalBytes(),
            evidence.toArray(),
            BigInteger.valueOf(receipt.timestamp()),
            BigInteger.ONE,
            receipt.sign(deployment.domain(), goneKey).toArray())
        .send();
    BigInteger goneCase = lastCaseOf(id);
    await("drawn", () -> court(requester).getCase(goneCase).state() == CourtCase.State.VOTING);
    long deadline = court(requester).getCase(goneCase).deadline();

    await(
        "the case decided",
        () -> court(requester).getCase(goneCase).state() == CourtCase.State.INVALID);

    var cast = verdictsCast(goneCase);
    assertThat(cast).isNotEmpty().noneMatch(v -> v.valid);
    long drawnAt = deadline - COURT.verdictWindowSeconds();
    for (var v : cast) {
      long at =
          anvil
              .web3j()
              .ethGetBlockByNumber(
                  org.web3j.protocol.core.DefaultBlockParameter.valueOf(v.log.getBlockNumber()),
                  false)
              .send()
              .getBlock()
              .getTimestamp()
              .longValueExact();
      assertThat(at - drawnAt)
          .as("not before a third of the window")
          .isGreaterThanOrEqualTo(COURT.verdictWindowSeconds() / 3);
    }
    await("answered by the honest node and finalized", () -> status(id) == 3);
    assertBooks();
  }

  @Test
  @Order(9)
  void aCaseSeenBeforeARestartIsStillDrawnByTheRestartedKeepers() throws Exception {
    Tensor in = input(7);
    BigInteger id = request(in, inferenceKey.address());
    // no block is mined meanwhile: the case's seed block is not known, nobody can draw yet
    for (int i = 0; i < 100 && status(id) != 2; i++) {
      Thread.sleep(50);
    }
    assertThat(status(id)).isEqualTo(2);
    long opened = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    for (int i = 0; i < 100; i++) {
      boolean allSeen =
          validators.stream()
              .allMatch(v -> v.validator().orElseThrow().journal().checkpoint() > opened);
      if (allSeen) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(court(requester).getCase(lastCaseOf(id)).state())
        .isEqualTo(CourtCase.State.AWAITING_DRAW);
    validators.forEach(NodeApp::stop); // all down before any restarts (a start mines a block)
    for (int i = 0; i < validators.size(); i++) {
      validators.set(i, startValidator(i));
    }

    await("drawn and finalized after the restart", () -> status(id) == 3);
    assertBooks();
  }
}
