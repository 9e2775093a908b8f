package io.vouch.sdk.registry;

import io.vouch.chain.VouchContracts;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.evidence.EnclaveKeyDirectory;
import io.vouch.evidence.NodeDirectory;
import io.vouch.sdk.chain.ChainCalls;
import io.vouch.sdk.plan.NodeCandidate;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The NodeRegistry as the SDK's planner and verifiers see it: chain's {@link NodeRegistryClient}
 * reads, cached for a short time ({@code cacheTtl}, 0 to disable), as the evidence module's
 * directories and the planner's candidates. The registry changes on the scale of blocks, and a
 * direct inference should not pay a dozen RPC round trips: registration changes reach this client
 * within one TTL.
 */
public final class NodeRegistryView implements NodeDirectory, EnclaveKeyDirectory {
  private final NodeRegistryClient registry;
  private final Duration cacheTtl;
  private final Clock clock;
  private final Map<Address, Cached<NodeStanding>> standing = new ConcurrentHashMap<>();
  private final Map<String, Cached<List<NodeCandidate>>> candidates = new ConcurrentHashMap<>();
  private volatile BigInteger minStake;
  private volatile BigInteger maxAttestationTtl;
  private volatile Boolean developmentAttestationAllowed;

  public NodeRegistryView(VouchContracts contracts, Duration cacheTtl, Clock clock) {
    this.registry = contracts.nodeRegistry();
    this.cacheTtl = cacheTtl;
    this.clock = clock;
  }

  private record Cached<T>(T value, Instant readAt) {}

  /**
   * What the registry says about one node.
   *
   * @param unbonding it asked to leave: no longer eligible, its stake is on the way out
   */
  public record NodeStanding(
      Address node,
      boolean registered,
      boolean unbonding,
      BigInteger stakeWei,
      BigInteger minStakeWei,
      BigInteger priceWei,
      String endpoint,
      Set<VerificationLevel> levels) {

    /** Registered, not unbonding, and at least the minimum stake at risk. */
    public boolean stakedAndBonded() {
      return registered && !unbonding && stakeWei.compareTo(minStakeWei) >= 0;
    }
  }

  /**
   * A receipt counts only if its signer has stake that can be slashed: registered, not unbonding,
   * at least the minimum stake.
   */
  @Override
  public boolean isRegisteredNode(Address node) {
    return standing(node).stakedAndBonded();
  }

  public NodeStanding standing(Address node) {
    Cached<NodeStanding> c = standing.get(node);
    if (fresh(c)) {
      return c.value();
    }
    NodeRegistryClient.NodeInfo info =
        ChainCalls.call("reading node " + node, () -> registry.nodeInfo(node));
    NodeStanding s =
        new NodeStanding(
            node,
            info.registered(),
            info.unbonding(),
            info.stakeWei(),
            minStake(),
            info.priceWei(),
            info.endpoint(),
            info.levels());
    standing.put(node, new Cached<>(s, clock.instant()));
    return s;
  }

  /**
   * What the registry charges for {@code node} per request now ({@code priceOf}), read from the
   * chain every time, never cached: what a client pays a node must never be above it. A cached
   * price stays an upper bound only until a price decrease, which the registry applies at once (an
   * increase waits {@code priceIncreaseDelay}, so a cache would only ever be too high, never too
   * low), and a payer would then pay the old price.
   */
  public BigInteger priceNow(Address node) {
    return ChainCalls.call("reading the price of node " + node, () -> registry.priceOf(node));
  }

  /**
   * The nodes eligible for {@code modelId} at any of {@code levels}, each with the levels it is
   * eligible for (the registry's own rule: registered, bonded, inference role, level, stake, serves
   * the model).
   */
  public List<NodeCandidate> candidates(Bytes32 modelId, Collection<VerificationLevel> levels) {
    Set<VerificationLevel> sorted = EnumSet.noneOf(VerificationLevel.class);
    sorted.addAll(levels);
    String key = modelId.toHex() + sorted;
    Cached<List<NodeCandidate>> c = candidates.get(key);
    if (fresh(c)) {
      return c.value();
    }
    Map<Address, Set<VerificationLevel>> eligibleAt = eligibleAt(modelId, sorted);
    List<NodeCandidate> out = new ArrayList<>();
    for (var e : eligibleAt.entrySet()) {
      NodeStanding s = standing(e.getKey());
      out.add(
          new NodeCandidate(
              e.getKey(), s.endpoint(), e.getValue(), s.priceWei(), s.stakeWei(), !s.unbonding()));
    }
    List<NodeCandidate> result = List.copyOf(out);
    candidates.put(key, new Cached<>(result, clock.instant()));
    return result;
  }

  /**
   * What the nodes eligible for {@code modelId} at any of {@code levels} offer: levels, price now,
   * an announced increase ({@code priceSchedule}), stake. Read fresh (no cache): it is what a user
   * looks at before choosing.
   */
  public List<NodeOffer> offers(Bytes32 modelId, Collection<VerificationLevel> levels) {
    List<NodeOffer> out = new ArrayList<>();
    Set<VerificationLevel> sorted = EnumSet.noneOf(VerificationLevel.class);
    sorted.addAll(levels);
    for (var e : eligibleAt(modelId, sorted).entrySet()) {
      Address node = e.getKey();
      NodeRegistryClient.NodeInfo info =
          ChainCalls.call("reading node " + node, () -> registry.nodeInfo(node));
      NodeRegistryClient.PriceSchedule schedule =
          ChainCalls.call(
              "reading the price schedule of " + node, () -> registry.priceSchedule(node));
      out.add(
          new NodeOffer(
              node,
              info.endpoint(),
              e.getValue(),
              schedule.currentWei(),
              schedule.increaseAnnounced()
                  ? Optional.of(
                      new NodeOffer.PriceChange(schedule.nextWei(), schedule.effectiveAt()))
                  : Optional.empty(),
              info.stakeWei()));
    }
    return out;
  }

  /** Each node eligible for {@code modelId} at one of {@code levels}, with those levels. */
  private Map<Address, Set<VerificationLevel>> eligibleAt(
      Bytes32 modelId, Set<VerificationLevel> levels) {
    Map<Address, Set<VerificationLevel>> eligibleAt = new LinkedHashMap<>();
    for (VerificationLevel level : levels) {
      List<NodeRegistryClient.Candidate> answer =
          ChainCalls.call(
              "reading the candidates for " + modelId + " at " + level,
              () -> registry.candidates(modelId, level));
      for (NodeRegistryClient.Candidate c : answer) {
        eligibleAt
            .computeIfAbsent(c.node(), x -> EnumSet.noneOf(VerificationLevel.class))
            .add(level);
      }
    }
    return eligibleAt;
  }

  /**
   * Read from the chain every time, never cached: a revocation by governance or the node must count
   * at once.
   */
  @Override
  public boolean isActiveEnclaveKey(Address node, Address enclaveKey) {
    return ChainCalls.call(
        "reading whether " + enclaveKey + " is an active enclave key of " + node,
        () -> registry.isActiveEnclaveKey(node, enclaveKey));
  }

  @Override
  public Optional<byte[]> attestationDocument(
      Address node, Address enclaveKey, Bytes32 documentHash) {
    return ChainCalls.call(
        "reading the EnclaveKeyRegistered events of " + enclaveKey,
        () -> registry.attestationDocument(node, enclaveKey, documentHash));
  }

  @Override
  public Duration maxKeyAge() {
    BigInteger ttl = maxAttestationTtl;
    if (ttl == null) {
      // Immutable in the contract: read once.
      ttl =
          BigInteger.valueOf(
              ChainCalls.call("reading maxAttestationTtl", registry::maxAttestationTtlSeconds));
      maxAttestationTtl = ttl;
    }
    return Duration.ofSeconds(ttl.longValueExact());
  }

  @Override
  public boolean developmentAttestationAllowed() {
    Boolean allowed = developmentAttestationAllowed;
    if (allowed == null) {
      // Immutable in the contract: read once.
      allowed =
          ChainCalls.call(
              "reading developmentAttestationAllowed", registry::developmentAttestationAllowed);
      developmentAttestationAllowed = allowed;
    }
    return allowed;
  }

  /** Forgets cached answers (after this client changed the registry, or in tests). */
  public void invalidate() {
    standing.clear();
    candidates.clear();
  }

  private BigInteger minStake() {
    BigInteger m = minStake;
    if (m == null) {
      // Immutable in the contract: read once.
      m = ChainCalls.call("reading minStake", registry::minStake);
      minStake = m;
    }
    return m;
  }

  private boolean fresh(Cached<?> c) {
    return c != null && !cacheTtl.isZero() && c.readAt().plus(cacheTtl).isAfter(clock.instant());
  }
}
