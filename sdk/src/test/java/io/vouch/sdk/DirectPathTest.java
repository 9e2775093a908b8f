package io.vouch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.chain.VouchContracts;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.evidence.TeeTrust;
import io.vouch.sdk.direct.DirectInference;
import io.vouch.sdk.direct.NodeClient;
import io.vouch.sdk.direct.NodeTransport;
import io.vouch.sdk.plan.InferencePlan;
import io.vouch.sdk.plan.LatencyTracker;
import io.vouch.sdk.plan.NodeCandidate;
import io.vouch.sdk.plan.Planner;
import io.vouch.sdk.registry.NodeOffer;
import io.vouch.sdk.registry.NodeRegistryView;
import io.vouch.sdk.verify.ResultVerifier;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The direct path against real nodes registered on a real chain. */
class DirectPathTest {
  static Devnet devnet;
  static VouchClient client;

  @BeforeAll
  static void connect() {
    devnet = Devnet.get();
    client = devnet.readOnlyClient();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  void inferReturnsTheModelsOutputVerifiedAgainstTheRegistry() {
    Tensor input = Devnet.input(0.5f);

    InferenceOutcome r = client.infer("demo@1", input, Requirements.defaults());

    assertThat(r.output()).isEqualTo(devnet.expectedOutput(input));
    assertThat(r.verification()).isInstanceOf(InferenceOutcome.Verification.ClientVerified.class);
    assertThat(r.node()).isIn(devnet.nodeA.address(), devnet.nodeB.address());
    assertThat(r.modelId()).isEqualTo(devnet.demo.modelId());
  }

  @Test
  void inferAsyncCompletesWithAVerifiedResult() throws Exception {
    Tensor input = Devnet.input(1.5f);

    InferenceOutcome r =
        client.inferAsync("demo", input, Requirements.defaults()).get(30, TimeUnit.SECONDS);

    assertThat(r.output()).isEqualTo(devnet.expectedOutput(input));
    assertThat(r.verification()).isInstanceOf(InferenceOutcome.Verification.ClientVerified.class);
  }

  @Test
  void candidatesAreTheRegisteredNodesWithTheirEndpointsAndPrices() {
    assertThat(client.candidates("demo@1", VerificationLevel.VANILLA))
        .extracting(NodeCandidate::address, NodeCandidate::endpoint, NodeCandidate::priceWei)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                devnet.nodeA.address(), devnet.nodeA.app().baseUrl(), Devnet.PRICE_A),
            org.assertj.core.groups.Tuple.tuple(
                devnet.nodeB.address(), devnet.nodeB.app().baseUrl(), Devnet.PRICE_B));
  }

  @Test
  void whenTheFirstRankedNodeIsDownTheNextOneAnswers() {
    // The cheapest node ranks first for a client that has no latency data yet.
    Secp256k1.KeyPair cheapKey = Devnet.key("cheap-but-down");
    Devnet.TestNode cheap = devnet.startNode(cheapKey, BigInteger.ONE);
    devnet.register(cheapKey, cheap.app().baseUrl(), BigInteger.ONE);
    cheap.app().stop();
    try (VouchClient fresh = devnet.readOnlyClient()) {
      assertThat(fresh.candidates("demo@1", VerificationLevel.VANILLA))
          .extracting(NodeCandidate::address)
          .contains(cheapKey.address());

      InferenceOutcome r = fresh.infer("demo@1", Devnet.input(2f), Requirements.defaults());

      assertThat(r.node()).isNotEqualTo(cheapKey.address());
      assertThat(r.verification()).isInstanceOf(InferenceOutcome.Verification.ClientVerified.class);
    } finally {
      devnet.unbond(cheapKey);
    }
  }

  @Test
  void aResultSignedByAKeyThatIsNotARegisteredNodeIsRefused() {
    // The registered address points at a node process that signs with another, unstaked key.
    Secp256k1.KeyPair staked = Devnet.key("front");
    Devnet.TestNode impostor = devnet.startNode(Devnet.key("impostor"), Devnet.PRICE_A);
    devnet.register(staked, impostor.app().baseUrl(), Devnet.PRICE_A);
    try {
      assertThatThrownBy(() ->
              client.infer(
                  "demo@1",
                  Devnet.input(3f),
                  Requirements.defaults().withPreferredNode(staked.address())))
          .isInstanceOfSatisfying(
              VouchClientException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION_FAILED))
          .hasMessageContaining("not a registered, staked node");
    } finally {
      devnet.unbond(staked);
      impostor.app().stop();
    }
  }

  @Test
  void repeatedRequestsReachMoreThanOneOfTheNodesCloseToTheBest() {
    // A node as cheap as node A: the two tie (node B, 50 % dearer, is only a fallback).
    Secp256k1.KeyPair twinKey = Devnet.key("twin-of-a");
    Devnet.TestNode twin = devnet.startNode(twinKey, Devnet.PRICE_A);
    devnet.register(twinKey, twin.app().baseUrl(), Devnet.PRICE_A);
    VouchContracts contracts =
        VouchContracts.connect(devnet.anvil.web3j(), devnet.deployment, Optional.empty());
    NodeRegistryView registry = new NodeRegistryView(contracts, Duration.ZERO, Clock.systemUTC());
    // Observations forgotten at once and a seeded draw: the same choices on every run.
    LatencyTracker latency =
        new LatencyTracker(Duration.ofSeconds(5), Duration.ZERO, Clock.systemUTC());
    try (NodeTransport transport = NodeTransport.http(Duration.ofSeconds(2))) {
      DirectInference direct =
          new DirectInference(
              registry,
              new Planner(latency, new Random(11)),
              latency,
              transport,
              new ResultVerifier(
                  devnet.deployment.domain(), registry, registry, TeeTrust.chainOnly()),
              Optional.empty());
      Set<Address> reached = new HashSet<>();
      for (int i = 0; i < 12; i++) {
        reached.add(
            direct
                .run(devnet.demo, NamedTensors.lone(Devnet.input(i)), Requirements.defaults())
                .node());
      }

      assertThat(reached).containsExactlyInAnyOrder(devnet.nodeA.address(), twinKey.address());
    } finally {
      devnet.unbond(twinKey);
      twin.app().stop();
    }
  }

  @Test
  void aPlanSaysWhichLevelAndNodeAndWhyAndRunningItAsksThatNodeFirst() {
    InferencePlan plan = client.plan("demo@1", Requirements.defaults());

    assertThat(plan.level()).isEqualTo(VerificationLevel.VANILLA);
    assertThat(plan.reason())
        .startsWith("VANILLA: the weakest level the model allows (it allows [VANILLA])")
        .contains("node " + plan.nodes().getFirst().address());
    InferenceOutcome r = client.infer(plan, NamedTensors.lone(Devnet.input(9f)));
    assertThat(r.node()).isEqualTo(plan.nodes().getFirst().address());
  }

  @Test
  void offersListEachServingNodesLevelsPriceAndStake() {
    assertThat(client.offers("demo@1"))
        .extracting(NodeOffer::node, NodeOffer::levels, NodeOffer::priceWei, NodeOffer::stakeWei)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                devnet.nodeA.address(),
                Set.of(VerificationLevel.VANILLA),
                Devnet.PRICE_A,
                Devnet.ETH.multiply(BigInteger.TWO)),
            org.assertj.core.groups.Tuple.tuple(
                devnet.nodeB.address(),
                Set.of(VerificationLevel.VANILLA),
                Devnet.PRICE_B,
                Devnet.ETH.multiply(BigInteger.TWO)));
  }

  @Test
  void aFeeLimitBelowModelFeePlusEveryNodesPriceIsNoEligibleNode() {
    Requirements cheap = Requirements.defaults().withMaxFeeWei(Devnet.MODEL_FEE);

    assertThatThrownBy(() -> client.infer("demo@1", Devnet.input(4f), cheap))
        .isInstanceOfSatisfying(
            VouchClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_ELIGIBLE_NODE))
        .hasMessageContaining("raise the fee limit");
  }

  @Test
  void aLevelTheModelDoesNotAllowIsAnUnsupportedLevel() {
    Requirements zk = Requirements.defaults().withMinLevel(VerificationLevel.ZKML);

    assertThatThrownBy(() -> client.infer("demo@1", Devnet.input(4f), zk))
        .isInstanceOfSatisfying(
            VouchClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_LEVEL))
        .hasMessageContaining("nothing at ZKML or better")
        .hasMessageNotContaining("fee");
  }

  InferenceOutcome fetchedElsewhere(Bytes32 requestId) {
    return new NodeClient(NodeClient.defaultHttpClient(), devnet.nodeA.app().baseUrl())
        .infer(
            devnet.demo.modelId().toHex(),
            Devnet.input(5f),
            VerificationLevel.VANILLA,
            requestId,
            Duration.ofSeconds(10));
  }

  @Test
  void verifyAcceptsAResultObtainedOutsideTheClient() {
    InferenceOutcome verified = client.verify(fetchedElsewhere(Keccak.hash("elsewhere-1")));

    assertThat(verified.verification())
        .isInstanceOf(InferenceOutcome.Verification.ClientVerified.class);
  }

  @Test
  void verifyRefusesATamperedOutput() {
    InferenceOutcome o = fetchedElsewhere(Keccak.hash("elsewhere-2"));
    float[] out = o.output().toFloats();
    out[0] += 1;
    InferenceOutcome tampered =
        new InferenceOutcome(
            o.requestId(),
            o.modelId(),
            o.modelRef(),
            o.level(),
            o.input(),
            Tensor.ofFloats(o.output().shape(), out),
            o.receipt(),
            o.domain(),
            o.nodeEndpoint(),
            o.verification());

    assertThatThrownBy(() -> client.verify(tampered))
        .isInstanceOfSatisfying(
            VouchClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION_FAILED))
        .hasMessageContaining("output hash");
  }
}
