package io.vouch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.chain.EscrowBooks;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.node.ChainSettings;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.node.settlement.SettlementSettings;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.sdk.plan.InferencePlan;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct path to a node that charges: a real {@link NodeApp} on the devnet chain that requires
 * vouchers. The SDK learns the price from the node's {@code PAYMENT_REQUIRED} answer, pays with a
 * voucher from its deposit, and keeps paying; without a key it cannot.
 */
class PaidDirectPathTest {
  static final BigInteger PRICE = BigInteger.valueOf(1_500);

  @TempDir static Path dir;
  static Devnet devnet;
  static Secp256k1.KeyPair nodeKey;
  static NodeApp paidNode;
  static boolean registered;

  @BeforeAll
  static void start() throws Exception {
    devnet = Devnet.get();
    nodeKey = devnet.fundedKey("paid-node");
    paidNode = paidNode(nodeKey, dir.resolve("journal.jsonl"));
    paidNode.start(); // registers itself with stake
    registered = true;
  }

  /** A node on the devnet chain that charges {@link #PRICE} per request and requires vouchers. */
  static NodeApp paidNode(Secp256k1.KeyPair key, Path journal) throws Exception {
    return paidNode(key, journal, SettlementSettings.defaults());
  }

  static NodeApp paidNode(Secp256k1.KeyPair key, Path journal, SettlementSettings settlement)
      throws Exception {
    NodeApp app =
        new NodeApp(
            new NodeConfig(
                "127.0.0.1",
                0,
                key,
                devnet.deployment.chainId(),
                devnet.deployment.inferenceHub(),
                1 << 16,
                1 << 20,
                PRICE),
            Clock.systemUTC(),
            new ChainSettings(
                    devnet.anvil.rpcUrl(),
                    devnet.deployment,
                    Devnet.ETH,
                    List.of(devnet.hub.uri()),
                    model -> false, // serves only the model loaded below
                    journal,
                    Duration.ofMillis(200),
                    null)
                .withSettlement(settlement));
    app.load(
        new LoadedModel(
            devnet.demo.modelId(),
            devnet.demo.name(),
            devnet.demo.version(),
            devnet.demo.cid(),
            Set.of(VerificationLevel.VANILLA),
            PRICE,
            new OnnxModelRunner(OnnxRuntimeEngine.load(devnet.onnx))));
    return app;
  }

  @AfterAll
  static void stop() {
    if (registered) {
      devnet.unbond(nodeKey); // leave the registry as the other tests expect it
    }
    if (paidNode != null) {
      paidNode.stop();
    }
  }

  Requirements onThePaidNode() {
    return Requirements.defaults().withPreferredNode(nodeKey.address());
  }

  /** Escrow is conserved after every test: the hub's and the court's books (chain's test-jar). */
  EscrowBooks books;

  @BeforeEach
  void openTheBooks() throws Exception {
    books = devnet.books();
  }

  @AfterEach
  void escrowIsConserved() throws Exception {
    books.assertBalanced();
  }

  @Test
  void clientWithADepositPaysTheNodeWithVouchers() {
    try (VouchClient c = devnet.client(devnet.fundedKey("paid-direct-payer"))) {
      c.payments().deposit(BigInteger.valueOf(1_000_000));

      InferenceOutcome first = c.infer("demo@1", Devnet.input(1f), onThePaidNode());
      InferenceOutcome second = c.infer("demo@1", Devnet.input(2f), onThePaidNode());

      assertThat(first.node()).isEqualTo(nodeKey.address());
      assertThat(second.output()).isEqualTo(devnet.expectedOutput(Devnet.input(2f)));
      BigInteger twice = PRICE.multiply(BigInteger.TWO);
      assertThat(c.payments().total(nodeKey.address())).isEqualTo(twice);
      assertThat(paidNode.settlement().orElseThrow().gate().heldCumulative(c.payments().payer()))
          .isEqualTo(twice);
    }
  }

  @Test
  void aRestartedClientContinuesFromTheVoucherTheNodeProvesItHolds() {
    Secp256k1.KeyPair payer = devnet.fundedKey("paid-direct-restart");
    try (VouchClient before = devnet.client(payer)) {
      before.payments().deposit(BigInteger.valueOf(1_000_000));
      before.infer("demo@1", Devnet.input(1f), onThePaidNode());
      before.infer("demo@1", Devnet.input(2f), onThePaidNode());
    }
    try (VouchClient after = devnet.client(payer)) {
      // Its book starts from the chain (nothing redeemed yet); the node shows the payer's own
      // signature on the voucher it holds, and the client continues from there.
      InferenceOutcome third = after.infer("demo@1", Devnet.input(3f), onThePaidNode());

      assertThat(third.node()).isEqualTo(nodeKey.address());
      assertThat(after.payments().total(nodeKey.address()))
          .isEqualTo(PRICE.multiply(BigInteger.valueOf(3)));
    }
  }

  @Test
  void clientWithoutAKeyIsToldThatTheNodeCharges() {
    try (VouchClient c = devnet.readOnlyClient()) {
      assertThatThrownBy(() -> c.infer("demo@1", Devnet.input(3f), onThePaidNode()))
          .isInstanceOf(VouchClientException.class)
          .hasMessageContaining("charges " + PRICE + " wei")
          .hasMessageContaining("deposit with payments().deposit")
          .satisfies(e ->
              assertThat(((VouchClientException) e).code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE));
    }
  }

  @Test
  void aNodeWhoseChannelCannotBeToppedUpIsPassedOverForOneWhoseChannelCanPay() throws Exception {
    // Two nodes at the same price; the payer's deposit covers ten requests, and the first
    // request locks all of it in the first node's channel (ten requests per funding). A plan that
    // puts the second node first must still be served, by the first, not fail for want of deposit.
    Secp256k1.KeyPair twinKey = devnet.fundedKey("paid-node-twin");
    NodeApp twin = paidNode(twinKey, dir.resolve("twin-journal.jsonl"));
    twin.start();
    try (VouchClient c = devnet.client(devnet.fundedKey("paid-direct-two-nodes"))) {
      c.payments().requestsPerFunding(10);
      c.payments().deposit(PRICE.multiply(BigInteger.TEN));
      c.infer("demo@1", Devnet.input(1f), onThePaidNode());
      assertThat(c.payments().balance()).as("free deposit left").isZero();
      // Only the two charging nodes are cheap enough (the devnet's others ask more).
      Requirements cheap = Requirements.defaults().withMaxFeeWei(PRICE.add(Devnet.MODEL_FEE));
      InferencePlan twinFirst = null;
      for (int i = 0; i < 64 && twinFirst == null; i++) {
        InferencePlan p = c.plan("demo@1", cheap);
        if (p.nodes().getFirst().address().equals(twinKey.address())) {
          twinFirst = p;
        }
      }
      assertThat(twinFirst).as("a plan with the twin first in 64 draws").isNotNull();
      assertThat(twinFirst.nodes()).hasSize(2);

      InferenceOutcome second = c.infer(twinFirst, NamedTensors.lone(Devnet.input(2f)));

      assertThat(second.node()).isEqualTo(nodeKey.address());
      assertThat(c.payments().total(nodeKey.address())).isEqualTo(PRICE.multiply(BigInteger.TWO));
      assertThat(c.payments().total(twinKey.address())).isZero();
      // When no node's channel can pay, the caller is told to deposit (not to retry).
      assertThatThrownBy(() ->
              c.infer(
                  "demo@1",
                  Devnet.input(3f),
                  Requirements.defaults().withPreferredNode(twinKey.address())))
          .isInstanceOfSatisfying(
              VouchClientException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT))
          .hasMessageContaining("deposit at least");
    } finally {
      devnet.unbond(twinKey);
      twin.stop();
    }
  }

  @Test
  void aNodeThatLowersItsPriceIsPaidTheNewPriceOnTheNextRequest() throws Exception {
    BigInteger lower = BigInteger.valueOf(1_000);
    Secp256k1.KeyPair key = devnet.fundedKey("paid-node-lowering");
    NodeApp node = freshPricedNode(key, "lowering-journal.jsonl");
    try (VouchClient c = devnet.client(devnet.fundedKey("paid-direct-lowered"))) {
      c.payments().deposit(BigInteger.valueOf(1_000_000));
      Requirements onIt = Requirements.defaults().withPreferredNode(key.address());
      c.infer("demo@1", Devnet.input(1f), onIt); // the node asks PRICE; the client remembers it
      setRegisteredPrice(key, node, lower);

      InferenceOutcome second = c.infer("demo@1", Devnet.input(2f), onIt);

      assertThat(second.node()).isEqualTo(key.address());
      assertThat(c.payments().total(key.address()))
          .as("the second voucher adds the lowered price, not the remembered one")
          .isEqualTo(PRICE.add(lower));
      assertThat(node.settlement().orElseThrow().gate().heldCumulative(c.payments().payer()))
          .isEqualTo(PRICE.add(lower));
    } finally {
      devnet.unbond(key);
      node.stop();
    }
  }

  @Test
  void aRequestIsNeverPaidAboveItsOwnFeeLimit() throws Exception {
    BigInteger lower = BigInteger.valueOf(400);
    Secp256k1.KeyPair key = devnet.fundedKey("paid-node-fee-limit");
    NodeApp node = freshPricedNode(key, "fee-limit-journal.jsonl");
    try (VouchClient c = devnet.client(devnet.fundedKey("paid-direct-fee-limit"))) {
      c.payments().deposit(BigInteger.valueOf(1_000_000));
      c.infer("demo@1", Devnet.input(1f), Requirements.defaults().withPreferredNode(key.address()));
      setRegisteredPrice(key, node, lower);
      // Within this limit only at the lowered price (plus the model fee): the client remembers
      // PRICE, which is above it.
      BigInteger limit = BigInteger.valueOf(1_000);
      assertThat(PRICE).isGreaterThan(limit);

      InferenceOutcome second =
          c.infer("demo@1", Devnet.input(2f), Requirements.defaults().withMaxFeeWei(limit));

      assertThat(second.node()).isEqualTo(key.address());
      BigInteger added = c.payments().total(key.address()).subtract(PRICE);
      assertThat(added).as("what the second request paid").isLessThanOrEqualTo(limit);
      assertThat(added).isEqualTo(lower);
    } finally {
      devnet.unbond(key);
      node.stop();
    }
  }

  /** A charging node that reads its registered price at every request (no cache). */
  private static NodeApp freshPricedNode(Secp256k1.KeyPair key, String journal) throws Exception {
    NodeApp node =
        paidNode(
            key,
            dir.resolve(journal),
            SettlementSettings.defaults().withFundsCacheTtl(Duration.ZERO));
    node.start(); // registers itself at PRICE
    return node;
  }

  /** The node's operator changes its price in the registry (a decrease applies at once). */
  private static void setRegisteredPrice(Secp256k1.KeyPair key, NodeApp node, BigInteger price)
      throws Exception {
    devnet
        .deployment
        .nodeRegistry(devnet.sender(key))
        .updateCapabilities(
            node.baseUrl(),
            BigInteger.valueOf(VerificationLevel.VANILLA.bit()),
            price,
            List.of(devnet.demo.modelId().toArray()))
        .send();
  }
}
