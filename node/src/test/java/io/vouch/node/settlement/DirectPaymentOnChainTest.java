package io.vouch.node.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.chain.AnvilProcess;
import io.vouch.chain.EscrowBooks;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.settlement.ReceiptMerkleTree;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.PaymentVoucher;
import io.vouch.core.tensor.Tensor;
import io.vouch.hub.http.HubServer;
import io.vouch.hub.http.HubServerConfig;
import io.vouch.hub.repo.ModelRepository;
import io.vouch.hub.store.InMemoryContentStore;
import io.vouch.node.ChainSettings;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.TestModelPublisher;
import io.vouch.node.chain.ModelProvisioner;
import io.vouch.onnx.testmodels.TestModels;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The direct path paid and settled on a real chain: a real {@link NodeApp} on anvil with the Vouch
 * contracts, paid with vouchers over its HTTP API, batching its receipts into roots on the hub and
 * redeeming the vouchers it holds. Every payer is its own funded key, so the tests do not depend on
 * each other's vouchers.
 */
class DirectPaymentOnChainTest {
  static final BigInteger ETH = BigInteger.TEN.pow(18);
  static final BigInteger PRICE = BigInteger.TEN.pow(12);
  static final String MODEL = "mlp@1";
  static final int IN = 6;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  static AnvilProcess anvil;
  static VouchDeployment deployment;
  static Eip712Domain domain;
  static HubServer hubServer;
  static Secp256k1.KeyPair nodeKey;
  static NodeApp node;

  /** A second node that watches for unlocks every 200 ms and trusts no cached channel read. */
  static Secp256k1.KeyPair watchfulKey;

  static NodeApp watchful;
  static InferenceHub hubView;
  static int payers;

  @BeforeAll
  static void setUp() throws Exception {
    anvil = AnvilProcess.start();
    List<Bytes32> keys = anvil.devKeys();
    TransactionSender deployer = TransactionSender.create(anvil.web3j(), keys.get(0));
    deployment = VouchDeployment.deploy(deployer, VouchDeployment.Parameters.devnet());
    domain = deployment.domain();
    hubView = deployment.inferenceHub(deployer);
    nodeKey = Secp256k1.KeyPair.fromPrivateKey(keys.get(2));
    hubServer =
        HubServer.start(
            ModelRepository.inMemory(new InMemoryContentStore()), HubServerConfig.loopback());
    TestModelPublisher.publishVanilla(
        deployment,
        TransactionSender.create(anvil.web3j(), keys.get(1)),
        hubServer.uri(),
        "mlp",
        TestModels.randomMlpOnnx(5, IN, 4, 3));
    node = startNode();
    watchfulKey = Secp256k1.KeyPair.fromPrivateKey(keys.get(3));
    watchful =
        startNode(
            watchfulKey,
            dir.resolve("watchful.jsonl"),
            SettlementSettings.defaults()
                .withBatching(1_000_000, Duration.ofHours(1))
                .withRedeeming(ETH, Duration.ofMillis(200))
                .withFundsCacheTtl(Duration.ZERO));
  }

  /** A node that batches and redeems only when told to ({@code POST /v1/settle}). */
  static NodeApp startNode() throws Exception {
    return startNode(
        nodeKey,
        dir.resolve("journal.jsonl"),
        SettlementSettings.defaults()
            .withBatching(1_000_000, Duration.ofHours(1))
            .withRedeeming(ETH, Duration.ofHours(1)));
  }

  static NodeApp startNode(Secp256k1.KeyPair key, Path journal, SettlementSettings settlement)
      throws Exception {
    NodeApp n =
        new NodeApp(
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
                    ETH,
                    List.of(hubServer.uri()),
                    ModelProvisioner.servingAll(),
                    journal,
                    Duration.ofMillis(200),
                    null)
                .withSettlement(settlement));
    n.start();
    return n;
  }

  @AfterAll
  static void tearDown() {
    if (node != null) {
      node.stop();
    }
    if (watchful != null) {
      watchful.stop();
    }
    if (hubServer != null) {
      hubServer.close();
    }
    if (anvil != null) {
      anvil.close();
    }
  }

  // ------------------------------------------------------------------ helpers

  /** A fresh payer with 10 ETH and {@code lockedWei} locked in its channel to the node. */
  static Secp256k1.KeyPair payer(BigInteger lockedWei) throws Exception {
    Secp256k1.KeyPair k =
        Secp256k1.KeyPair.fromPrivateKey(
            io.vouch.core.crypto.Keccak.hash("direct-payment-test/payer-" + payers++));
    anvil.setBalance(k.address(), ETH.multiply(BigInteger.TEN));
    if (lockedWei.signum() > 0) {
      lock(k, nodeKey.address(), lockedWei);
    }
    return k;
  }

  static void lock(Secp256k1.KeyPair payer, Address forNode, BigInteger wei) throws Exception {
    hubOf(payer).fundChannel(forNode.toHex(), BigInteger.ZERO, wei).send();
  }

  static InferenceHub hubOf(Secp256k1.KeyPair k) {
    return deployment.inferenceHub(TransactionSender.create(anvil.web3j(), k));
  }

  static ObjectNode voucher(
      Secp256k1.KeyPair signer, Address payer, Address forNode, BigInteger c) {
    ObjectNode v = JSON.createObjectNode();
    v.put("payer", payer.toHex());
    v.put("cumulativeAmount", c.toString());
    v.put("signature", new PaymentVoucher(payer, forNode, c).sign(domain, signer).toHex());
    return v;
  }

  static ObjectNode voucher(Secp256k1.KeyPair payer, BigInteger cumulative) {
    return voucher(payer, payer.address(), nodeKey.address(), cumulative);
  }

  record Answer(int status, JsonNode body) {}

  static Answer infer(ObjectNode voucherOrNull, float seed) throws Exception {
    return infer(node, voucherOrNull, seed);
  }

  static Answer infer(NodeApp target, ObjectNode voucherOrNull, float seed) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", MODEL);
    Tensor input = Tensor.ofFloats(new int[] {1, IN}, seed, 2, 3, 4, 5, 6);
    body.putObject("input")
        .put("canonical", Base64.getEncoder().encodeToString(input.canonicalBytes()));
    if (voucherOrNull != null) {
      body.set("voucher", voucherOrNull);
    }
    return post(target, "/v1/infer", body);
  }

  static Answer post(String path, JsonNode body) throws Exception {
    return post(node, path, body);
  }

  static Answer post(NodeApp target, String path, JsonNode body) throws Exception {
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  static Answer get(String path) throws Exception {
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  static Answer settle() throws Exception {
    return post("/v1/settle", JSON.createObjectNode());
  }

  static TransactionReceipt receipt(String tx) throws Exception {
    return anvil.web3j().ethGetTransactionReceipt(tx).send().getTransactionReceipt().orElseThrow();
  }

  static BigInteger balance(Address a) throws Exception {
    return anvil
        .web3j()
        .ethGetBalance(a.toHex(), DefaultBlockParameterName.LATEST)
        .send()
        .getBalance();
  }

  // ------------------------------------------------------------------ payment

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
  void paidRequestIsAnsweredAndItsVoucherHeld() throws Exception {
    Secp256k1.KeyPair p = payer(ETH);
    Answer a = infer(voucher(p, PRICE), 1);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    assertThat(a.body().path("payment").path("cumulativeAmount").asText())
        .isEqualTo(PRICE.toString());
    assertThat(a.body().path("receiptDigest").asText()).startsWith("0x");
    assertThat(node.settlement().orElseThrow().gate().heldCumulative(p.address())).isEqualTo(PRICE);

    Answer second = infer(voucher(p, PRICE.multiply(BigInteger.TWO)), 2);
    assertThat(second.status()).as(second.body().toString()).isEqualTo(200);
  }

  @Test
  void requestWithoutVoucherIsRefusedWithPriceAndHeldAmount() throws Exception {
    Answer a = infer(null, 1);
    assertThat(a.status()).isEqualTo(402);
    assertThat(a.body().get("error").asText()).isEqualTo("PAYMENT_REQUIRED");
    assertThat(a.body().get("price").asText()).isEqualTo(PRICE.toString());
    assertThat(a.body().get("heldCumulative").asText()).isEqualTo("0");
    assertThat(a.body().get("node").asText()).isEqualTo(nodeKey.address().toHex());
    assertThat(a.body().get("message").asText()).contains("attach a \"voucher\"");
  }

  @Test
  void aRefusalCarriesTheVoucherTypeAndDomainToSignWithoutTheSdk() throws Exception {
    Answer a = infer(null, 1);

    assertThat(a.status()).isEqualTo(402);
    assertThat(a.body().get("voucherType").asText())
        .isEqualTo("Voucher(address payer,address node,uint256 cumulativeAmount)");
    JsonNode d = a.body().get("domain");
    assertThat(d.get("name").asText()).isEqualTo(domain.name());
    assertThat(d.get("version").asText()).isEqualTo(domain.version());
    assertThat(d.get("chainId").asLong()).isEqualTo(domain.chainId());
    assertThat(d.get("verifyingContract").asText())
        .isEqualTo(deployment.inferenceHub().toHex())
        .isEqualTo(a.body().get("hub").asText());
  }

  @Test
  void voucherAddingLessThanThePriceIsRefused() throws Exception {
    Secp256k1.KeyPair p = payer(ETH);
    assertThat(infer(voucher(p, PRICE), 1).status()).isEqualTo(200);
    Answer a = infer(voucher(p, PRICE.multiply(BigInteger.TWO).subtract(BigInteger.ONE)), 2);
    assertThat(a.status()).isEqualTo(402);
    assertThat(a.body().get("heldCumulative").asText()).isEqualTo(PRICE.toString());
    assertThat(a.body().get("message").asText())
        .contains("less than the price")
        .contains("sign cumulativeAmount ≥ " + PRICE.multiply(BigInteger.TWO));
  }

  @Test
  void voucherSignedByAnotherKeyThanThePayerIsRefused() throws Exception {
    Secp256k1.KeyPair p = payer(ETH);
    Secp256k1.KeyPair forger = payer(BigInteger.ZERO);
    Answer a = infer(voucher(forger, p.address(), nodeKey.address(), PRICE), 1);
    assertThat(a.status()).isEqualTo(402);
    assertThat(a.body().get("message").asText())
        .contains("does not recover to payer " + p.address())
        .contains("forged");
  }

  @Test
  void voucherForAnotherNodeIsRefused() throws Exception {
    Secp256k1.KeyPair p = payer(ETH);
    Address other = payer(BigInteger.ZERO).address();
    ObjectNode v = voucher(p, p.address(), other, PRICE);
    Answer unnamed = infer(v, 1);
    assertThat(unnamed.status()).isEqualTo(402);
    assertThat(unnamed.body().get("message").asText()).contains("signed for another node");

    v.put("node", other.toHex());
    Answer named = infer(v, 1);
    assertThat(named.status()).isEqualTo(402);
    assertThat(named.body().get("message").asText())
        .contains("names node " + other)
        .contains("sign one for " + nodeKey.address());
  }

  @Test
  void voucherBeyondTheChannelIsRefused() throws Exception {
    Secp256k1.KeyPair p = payer(PRICE.multiply(BigInteger.TWO));
    Answer a = infer(voucher(p, PRICE.multiply(BigInteger.valueOf(3))), 1);
    assertThat(a.status()).isEqualTo(402);
    assertThat(a.body().get("message").asText())
        .contains("channel of " + p.address())
        .contains("lock at least " + PRICE + " wei more");
  }

  @Test
  void aFreeDepositPaysNoNode() throws Exception {
    Secp256k1.KeyPair p = payer(BigInteger.ZERO);
    hubOf(p).deposit(ETH).send(); // not locked for any node: withdrawable at any time
    Answer a = infer(voucher(p, PRICE), 1);
    assertThat(a.status()).isEqualTo(402);
    assertThat(a.body().get("message").asText()).contains("holds 0 wei").contains("fundChannel");
  }

  @Test
  void a402ShowsTheHeldVoucherWithThePayersSignature() throws Exception {
    Secp256k1.KeyPair p = payer(ETH);
    ObjectNode v = voucher(p, PRICE);
    assertThat(infer(v, 1).status()).isEqualTo(200);
    Answer a = infer(voucher(p, PRICE), 2); // not above what the node holds
    assertThat(a.status()).isEqualTo(402);
    assertThat(a.body().path("heldVoucher").path("cumulativeAmount").asText())
        .isEqualTo(PRICE.toString());
    assertThat(a.body().path("heldVoucher").path("signature").asText())
        .isEqualTo(v.get("signature").asText());
  }

  // ------------------------------------------------------------------ attacks by a payer (9.2)

  @Test
  void oneDepositCannotBuyFromTwoNodes() throws Exception {
    // The old attack: one deposit D, vouchers worth D to each of K nodes, only the first to
    // redeem is paid. Funds are now locked per node: what is locked for `node` buys nothing from
    // `watchful`, and `node` is paid for everything it accepted.
    Secp256k1.KeyPair p = payer(BigInteger.ZERO);
    BigInteger d = PRICE.multiply(BigInteger.valueOf(3));
    lock(p, nodeKey.address(), d);
    for (int i = 1; i <= 3; i++) {
      Answer a = infer(voucher(p, PRICE.multiply(BigInteger.valueOf(i))), i);
      assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    }
    for (int i = 1; i <= 3; i++) {
      ObjectNode v =
          voucher(p, p.address(), watchfulKey.address(), PRICE.multiply(BigInteger.valueOf(i)));
      Answer refused = infer(watchful, v, i);
      assertThat(refused.status()).as(refused.body().toString()).isEqualTo(402);
    }

    Answer settled = settle();
    BigInteger paid = BigInteger.ZERO;
    for (JsonNode r : settled.body().get("redemptions")) {
      if (r.get("payer").asText().equals(p.address().toHex())) {
        paid = paid.add(new BigInteger(r.get("paid").asText()));
        assertThat(r.get("shortfall").asText()).isEqualTo("0");
      }
    }
    assertThat(paid).as("the node is paid every voucher it accepted").isEqualTo(d);
    assertThat(post(watchful, "/v1/settle", JSON.createObjectNode()).body().get("redemptions"))
        .as("the other node accepted nothing, so it is owed nothing")
        .isEmpty();
    assertThat(hubView.isBalanced().send()).isTrue();
  }

  @Test
  void anUnlockCannotTakeBackWhatTheNodeAccepted() throws Exception {
    // The payer is served, then asks its whole channel back: the node stops promising the funds
    // being unlocked and redeems what it accepted before the unlock can run.
    Secp256k1.KeyPair p = payer(BigInteger.ZERO);
    BigInteger locked = PRICE.multiply(BigInteger.valueOf(3));
    lock(p, watchfulKey.address(), locked);
    for (int i = 1; i <= 3; i++) {
      ObjectNode v =
          voucher(p, p.address(), watchfulKey.address(), PRICE.multiply(BigInteger.valueOf(i)));
      assertThat(infer(watchful, v, i).status()).isEqualTo(200);
    }
    hubOf(p).requestUnlock(watchfulKey.address().toHex(), locked).send();

    ObjectNode more =
        voucher(p, p.address(), watchfulKey.address(), PRICE.multiply(BigInteger.valueOf(4)));
    Answer refused = infer(watchful, more, 4);
    assertThat(refused.status()).isEqualTo(402);
    assertThat(refused.body().get("message").asText()).contains("being unlocked");

    BigInteger redeemed = BigInteger.ZERO;
    for (int i = 0; i < 200 && redeemed.compareTo(locked) < 0; i++) {
      Thread.sleep(50);
      redeemed = hubView.redeemedOf(p.address().toHex(), watchfulKey.address().toHex()).send();
    }
    assertThat(redeemed).as("redeemed by the node's unlock watch, unprompted").isEqualTo(locked);

    anvil.increaseTime(VouchDeployment.Parameters.devnet().channelUnlockDelaySeconds() + 1);
    anvil.mine();
    hubOf(p).unlockChannel(watchfulKey.address().toHex()).send();
    assertThat(hubView.depositOf(p.address().toHex()).send())
        .as("nothing the node accepted went back to the payer")
        .isZero();
    assertThat(hubView.isBalanced().send()).isTrue();
  }

  // ------------------------------------------------------------------ settlement

  @Test
  void receiptsAreBatchedAndTheirProofsVerifyOnChainAndLocally() throws Exception {
    Secp256k1.KeyPair p = payer(ETH);
    List<Bytes32> digests = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      Answer a = infer(voucher(p, PRICE.multiply(BigInteger.valueOf(i))), i);
      assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
      digests.add(Bytes32.fromHex(a.body().get("receiptDigest").asText()));
    }
    Answer before = get("/v1/receipts/" + digests.getFirst().toHex() + "/proof");
    assertThat(before.status()).isEqualTo(404);
    assertThat(before.body().get("error").asText()).isEqualTo("NOT_BATCHED");

    Answer settled = settle();
    assertThat(settled.status()).as(settled.body().toString()).isEqualTo(200);
    long batchId = settled.body().get("batch").get("batchId").asLong();
    Bytes32 root = Bytes32.fromHex(settled.body().get("batch").get("root").asText());
    assertThat(Bytes32.wrap(hubView.getBatch(BigInteger.valueOf(batchId)).send().root))
        .isEqualTo(root);

    for (Bytes32 d : digests) {
      Answer a = get("/v1/receipts/" + d.toHex() + "/proof");
      assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
      assertThat(a.body().get("batchId").asLong()).isEqualTo(batchId);
      List<Bytes32> proof = new ArrayList<>();
      a.body().get("proof").forEach(h -> proof.add(Bytes32.fromHex(h.asText())));
      assertThat(ReceiptMerkleTree.rootFrom(nodeKey.address(), d, proof)).isEqualTo(root);
      assertThat(
              hubView
                  .verifyReceiptInclusion(
                      BigInteger.valueOf(batchId),
                      d.toArray(),
                      proof.stream().map(Bytes32::toArray).toList())
                  .send())
          .isTrue();
    }
  }

  @Test
  void proofOfAReceiptTheNodeNeverSignedIsNotFound() throws Exception {
    Answer a = get("/v1/receipts/" + Bytes32.ZERO.toHex() + "/proof");
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.body().get("error").asText()).isEqualTo("UNKNOWN_RECEIPT");
  }

  @Test
  void redeemingPaysTheNodeExactlyTheVoucherDifference() throws Exception {
    Secp256k1.KeyPair p = payer(ETH);
    settle(); // start from nothing unredeemed on this node
    for (int i = 1; i <= 3; i++) {
      assertThat(infer(voucher(p, PRICE.multiply(BigInteger.valueOf(i))), i).status())
          .isEqualTo(200);
    }
    BigInteger nodeBefore = balance(nodeKey.address());
    Answer settled = settle();
    JsonNode redemption = settled.body().get("redemptions").get(0);
    assertThat(redemption.get("payer").asText()).isEqualTo(p.address().toHex());
    BigInteger expected = PRICE.multiply(BigInteger.valueOf(3));
    assertThat(new BigInteger(redemption.get("paid").asText())).isEqualTo(expected);

    BigInteger gasCost = BigInteger.ZERO;
    for (String tx :
        List.of(settled.body().get("batch").get("tx").asText(), redemption.get("tx").asText())) {
      TransactionReceipt r = receipt(tx);
      gasCost =
          gasCost.add(
              r.getGasUsed().multiply(new BigInteger(r.getEffectiveGasPrice().substring(2), 16)));
    }
    assertThat(balance(nodeKey.address()).subtract(nodeBefore).add(gasCost)).isEqualTo(expected);
    assertThat(hubView.redeemedOf(p.address().toHex(), nodeKey.address().toHex()).send())
        .isEqualTo(expected);
    assertThat(
            hubView.channelOf(p.address().toHex(), nodeKey.address().toHex()).send().component1())
        .isEqualTo(ETH.subtract(expected));
    assertThat(hubView.isBalanced().send()).isTrue();

    // Nothing more to pay: a second settle redeems nothing.
    assertThat(settle().body().get("redemptions")).isEmpty();
  }

  @Test
  void restartedNodeKeepsItsHeldVouchers() throws Exception {
    Secp256k1.KeyPair p = payer(ETH);
    BigInteger twice = PRICE.multiply(BigInteger.TWO);
    assertThat(infer(voucher(p, twice), 1).status()).isEqualTo(200);
    node.stop();
    node = startNode();

    Answer replay = infer(voucher(p, twice), 2);
    assertThat(replay.status()).isEqualTo(402);
    assertThat(replay.body().get("heldCumulative").asText()).isEqualTo(twice.toString());
    Answer settled = settle();
    boolean redeemed = false;
    for (JsonNode r : settled.body().get("redemptions")) {
      if (r.get("payer").asText().equals(p.address().toHex())) {
        assertThat(r.get("paid").asText()).isEqualTo(twice.toString());
        redeemed = true;
      }
    }
    assertThat(redeemed).as("the voucher held before the restart is redeemed").isTrue();
  }

  // ------------------------------------------------------------------ cost

  @Test
  void gasPerSettledInferenceForABatchOfAThousandDirectReceipts() throws Exception {
    int n = 1_000;
    Secp256k1.KeyPair p = payer(ETH);
    settle(); // post and redeem whatever other tests left, so the batch is exactly ours
    for (int i = 1; i <= n; i++) {
      Answer a = infer(voucher(p, PRICE.multiply(BigInteger.valueOf(i))), i);
      assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    }
    Answer settled = settle();
    assertThat(settled.body().get("batch").get("count").asInt()).isEqualTo(n);
    assertThat(settled.body().get("redemptions")).hasSize(1);
    long post =
        receipt(settled.body().get("batch").get("tx").asText()).getGasUsed().longValueExact();
    long redeem =
        receipt(settled.body().get("redemptions").get(0).get("tx").asText())
            .getGasUsed()
            .longValueExact();
    double perInference = (post + redeem) / (double) n;
    System.out.printf(
        "direct-path settlement of %d receipts: postReceiptRoot %,d gas + redeemVoucher %,d gas"
            + " = %.1f gas per settled inference%n",
        n, post, redeem, perInference);
    assertThat(perInference).isLessThan(1_000);
    assertThat(hubView.isBalanced().send()).isTrue();
  }
}
