package io.vouch.sdk.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.sdk.VouchClientException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
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

  final LatencyTracker latency = new LatencyTracker(Duration.ofSeconds(5));
  final Planner planner = new Planner(latency);

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
  void ranksByObservedLatencyThenPriceThenStake() {
    List<NodeCandidate> nodes =
        List.of(
            node(1, 5, 10, VerificationLevel.VANILLA),
            node(2, 1, 10, VerificationLevel.VANILLA),
            node(3, 1, 99, VerificationLevel.VANILLA),
            node(4, 9, 1, VerificationLevel.VANILLA));
    latency.success(addr(4), Duration.ofMillis(1));

    var plan = planner.plan(Requirements.defaults(), ALL, BigInteger.ZERO, nodes);

    assertThat(plan.nodes())
        .extracting(NodeCandidate::address)
        .containsExactly(addr(4), addr(3), addr(2), addr(1));
  }

  @Test
  void failuresPushANodeDownTheRanking() {
    List<NodeCandidate> nodes =
        List.of(node(1, 1, 1, VerificationLevel.VANILLA), node(2, 1, 1, VerificationLevel.VANILLA));
    latency.success(addr(1), Duration.ofMillis(1));
    latency.success(addr(2), Duration.ofMillis(2));
    latency.failure(addr(1));

    var plan = planner.plan(Requirements.defaults(), ALL, BigInteger.ZERO, nodes);

    assertThat(plan.nodes().get(0).address()).isEqualTo(addr(2));
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
