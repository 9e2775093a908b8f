package io.vouch.sdk.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.VouchClientException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
  static final Set<VerificationLevel> ALL = Set.of(VerificationLevel.values());

  static Address addr(int i) {
    return Address.fromHex(String.format("0x%040x", i));
  }

  static NodeCandidate node(int i, long price, long stake, VerificationLevel... levels) {
    return new NodeCandidate(
        addr(i),
        "http://n" + i,
        Set.of(levels),
        BigInteger.valueOf(price),
        BigInteger.valueOf(stake),
        true);
  }

  final LatencyTracker latency =
      new LatencyTracker(
          Duration.ofSeconds(5),
          LatencyTracker.DEFAULT_MAX_AGE,
          Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));
  final Planner planner = new Planner(latency, new Random(1));

  @Test
  void picksTheWeakestLevelThatMeetsTheFloor() {
    var plan =
        planner.plan(
            Requirements.defaults().withMinLevel(VerificationLevel.TEE),
            ALL,
            BigInteger.ZERO,
            List.of(
                node(1, 1, 1, VerificationLevel.VANILLA),
                node(2, 1, 1, VerificationLevel.TEE, VerificationLevel.ZKML)));

    assertThat(plan.level()).isEqualTo(VerificationLevel.TEE);
    assertThat(plan.nodes()).extracting(NodeCandidate::address).containsExactly(addr(2));
  }

  @Test
  void closeNodesComeFirstAndTheOthersFollowInRankOrderOfLatencyThenPrice() {
    latency.success(addr(1), Duration.ofMillis(1));
    latency.success(addr(2), Duration.ofMillis(1));
    latency.success(addr(3), Duration.ofMillis(40));
    latency.success(addr(4), Duration.ofMillis(1));
    List<NodeCandidate> nodes =
        List.of(
            node(3, 1, 10, VerificationLevel.VANILLA),
            node(4, 9, 10, VerificationLevel.VANILLA),
            node(2, 1, 10, VerificationLevel.VANILLA),
            node(1, 1, 10, VerificationLevel.VANILLA));

    var plan = planner.plan(Requirements.defaults(), ALL, BigInteger.ZERO, nodes);

    assertThat(plan.close()).isEqualTo(2);
    assertThat(plan.nodes().subList(0, 2))
        .extracting(NodeCandidate::address)
        .containsExactlyInAnyOrder(addr(1), addr(2));
    assertThat(plan.nodes().subList(2, 4))
        .extracting(NodeCandidate::address)
        .containsExactly(addr(4), addr(3));
  }

  @Test
  void repeatedPlansSpreadTheFirstChoiceOverTiedNodes() {
    List<NodeCandidate> nodes =
        List.of(
            node(1, 7, 10, VerificationLevel.VANILLA),
            node(2, 7, 10, VerificationLevel.VANILLA),
            node(3, 7, 10, VerificationLevel.VANILLA));

    Map<Address, Integer> firsts = firstChoices(nodes, 300);

    assertThat(firsts).containsOnlyKeys(addr(1), addr(2), addr(3));
    assertThat(firsts.values()).allSatisfy(n -> assertThat(n).isGreaterThan(60));
  }

  @Test
  void theDrawIsWeightedByStake() {
    List<NodeCandidate> nodes =
        List.of(node(1, 7, 1, VerificationLevel.VANILLA), node(2, 7, 3, VerificationLevel.VANILLA));

    Map<Address, Integer> firsts = firstChoices(nodes, 4_000);

    // Expected 1,000 and 3,000; the seeded draw lands within a few percent of that.
    assertThat(firsts.get(addr(1))).isBetween(900, 1_100);
    assertThat(firsts.get(addr(2))).isBetween(2_900, 3_100);
  }

  @Test
  void aNodeThatAnsweredDoesNotCaptureTheRequestsOfNodesNeverCalled() {
    latency.success(addr(1), Duration.ofMillis(2));
    List<NodeCandidate> nodes =
        List.of(
            node(1, 7, 10, VerificationLevel.VANILLA),
            node(2, 7, 10, VerificationLevel.VANILLA),
            node(3, 7, 10, VerificationLevel.VANILLA));

    assertThat(firstChoices(nodes, 300)).containsOnlyKeys(addr(1), addr(2), addr(3));
  }

  @Test
  void aNodeFarAboveTheCheapestPriceIsOnlyAFallback() {
    List<NodeCandidate> nodes =
        List.of(
            node(1, 100, 10, VerificationLevel.VANILLA),
            node(2, 200, 10, VerificationLevel.VANILLA));

    assertThat(firstChoices(nodes, 100)).containsOnlyKeys(addr(1));
  }

  /** How often each node is planned first over {@code plans} plans of a seeded planner. */
  Map<Address, Integer> firstChoices(List<NodeCandidate> nodes, int plans) {
    Planner seeded = new Planner(latency, new Random(20_240_601));
    Map<Address, Integer> firsts = new HashMap<>();
    for (int i = 0; i < plans; i++) {
      var plan = seeded.plan(Requirements.defaults(), ALL, BigInteger.ZERO, nodes);
      firsts.merge(plan.nodes().getFirst().address(), 1, Integer::sum);
    }
    return firsts;
  }

  @Test
  void aLevelWhoseNodesAnsweredSlowerThanTheBudgetIsPassedOverForOneWithinIt() {
    latency.success(addr(1), Duration.ofSeconds(3));
    Requirements fast = Requirements.defaults().withMaxLatency(Duration.ofSeconds(2));

    var plan =
        planner.plan(
            fast,
            ALL,
            BigInteger.ZERO,
            List.of(
                node(1, 1, 1, VerificationLevel.VANILLA), node(2, 1, 1, VerificationLevel.TEE)));

    assertThat(plan.level()).isEqualTo(VerificationLevel.TEE);
    assertThat(plan.reason())
        .contains("VANILLA: its 1 node(s) answered this client slower than 2s on average");
  }

  @Test
  void whenNoLevelHasANodeWithinTheBudgetTheWeakestWithNodesIsPlannedAnyway() {
    latency.success(addr(1), Duration.ofSeconds(3));
    Requirements fast = Requirements.defaults().withMaxLatency(Duration.ofSeconds(2));

    var plan =
        planner.plan(fast, ALL, BigInteger.ZERO, List.of(node(1, 1, 1, VerificationLevel.VANILLA)));

    assertThat(plan.level()).isEqualTo(VerificationLevel.VANILLA);
    assertThat(plan.reason()).contains("no level has a node observed within 2s");
  }

  @Test
  void aFeeLimitOnlyAStrongerLevelMeetsPlansThatLevelAndSaysWhy() {
    var plan =
        planner.plan(
            Requirements.defaults().withMaxFeeWei(BigInteger.TEN),
            ALL,
            BigInteger.ZERO,
            List.of(
                node(1, 100, 1, VerificationLevel.VANILLA), node(2, 5, 1, VerificationLevel.TEE)));

    assertThat(plan.level()).isEqualTo(VerificationLevel.TEE);
    assertThat(plan.reason())
        .startsWith("TEE: the weakest that can be had")
        .contains("VANILLA: 1 node(s) serve it but cost more than 10 wei");
  }

  @Test
  void theReasonNamesTheLevelRuleAndTheChosenNodeWithItsPrice() {
    var plan =
        planner.plan(
            Requirements.defaults(),
            Set.of(VerificationLevel.VANILLA, VerificationLevel.TEE),
            BigInteger.ZERO,
            List.of(node(1, 2000, 1, VerificationLevel.VANILLA)));

    assertThat(plan.reason())
        .isEqualTo(
            "VANILLA: the weakest level the model allows (it allows [VANILLA, TEE]), with a node"
                + " within 10000000000000000 wei; node "
                + addr(1)
                + " (the only eligible node; latency not observed yet, 2000 wei, stake 1 wei)");
  }

  @Test
  void nodesAboveTheFeeLimitAreLeftOutAndTheErrorSaysSo() {
    Requirements cheap = Requirements.defaults().withMaxFeeWei(BigInteger.valueOf(10));

    assertThatThrownBy(() ->
            planner.plan(
                cheap,
                ALL,
                BigInteger.valueOf(5),
                List.of(node(1, 6, 1, VerificationLevel.VANILLA))))
        .isInstanceOf(VouchClientException.class)
        .hasMessageContaining("cost more than 10 wei")
        .hasMessageContaining("raise the fee limit");
  }

  @Test
  void levelTheModelDoesNotAllowIsSkipped() {
    assertThatThrownBy(() ->
            planner.plan(
                Requirements.defaults().withMinLevel(VerificationLevel.TEE),
                Set.of(VerificationLevel.VANILLA, VerificationLevel.ZKML),
                BigInteger.ZERO,
                List.of(node(1, 1, 1, VerificationLevel.TEE))))
        .hasMessageContaining("TEE: the model does not allow it")
        .hasMessageContaining("ZKML: no active node serves it");
  }

  @Test
  void aModelThatAllowsNoLevelAsStrongAsAskedIsAnUnsupportedLevelWithoutFeeAdvice() {
    assertThatThrownBy(() ->
            planner.plan(
                Requirements.defaults().withMinLevel(VerificationLevel.ZKML),
                Set.of(VerificationLevel.VANILLA),
                BigInteger.ZERO,
                List.of(node(1, 1, 1, VerificationLevel.ZKML))))
        .isInstanceOfSatisfying(
            VouchClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_LEVEL))
        .hasMessageContaining("the model allows [VANILLA], nothing at ZKML or better")
        .hasMessageNotContaining("fee");
  }

  @Test
  void preferredNodeIsTheOnlyCandidateWhenNamed() {
    var plan =
        planner.plan(
            Requirements.defaults().withPreferredNode(addr(2)),
            ALL,
            BigInteger.ZERO,
            List.of(
                node(1, 1, 1, VerificationLevel.VANILLA),
                node(2, 1, 1, VerificationLevel.VANILLA)));

    assertThat(plan.nodes()).extracting(NodeCandidate::address).containsExactly(addr(2));
  }

  @Test
  void inactiveNodesAreNeverPlanned() {
    NodeCandidate unbonding =
        new NodeCandidate(
            addr(1),
            "http://n1",
            Set.of(VerificationLevel.VANILLA),
            BigInteger.ONE,
            BigInteger.ONE,
            false);

    assertThatThrownBy(
            () -> planner.plan(Requirements.defaults(), ALL, BigInteger.ZERO, List.of(unbonding)))
        .hasMessageContaining("no active node");
  }
}
