package io.vouch.sdk.registry;

import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.evidence.EnclaveKeyDirectory;
import io.vouch.evidence.NodeDirectory;
import io.vouch.sdk.chain.VouchContracts;
import io.vouch.sdk.models.RegistryModels;
import io.vouch.sdk.plan.NodeCandidate;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The NodeRegistry as the SDK reads it. Answers are cached for a short time ({@code cacheTtl}, 0 to
 * disable): the registry changes on the scale of blocks, and a direct inference should not pay a
 * dozen RPC round trips. Registration changes therefore reach this client within one TTL.
 */
public final class NodeRegistryView implements NodeDirectory, EnclaveKeyDirectory {
  private final VouchContracts contracts;
  private final Duration cacheTtl;
  private final Clock clock;
  private final Map<Address, Cached<NodeStanding>> standing = new ConcurrentHashMap<>();
  private final Map<String, Cached<List<NodeCandidate>>> candidates = new ConcurrentHashMap<>();
  private volatile BigInteger minStake;
  private volatile BigInteger maxAttestationTtl;
  private volatile Boolean developmentAttestationAllowed;

  public NodeRegistryView(VouchContracts contracts, Duration cacheTtl, Clock clock) {
    this.contracts = contracts;
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
    NodeRegistry.NodeInfo info =
        VouchContracts.call(
            "reading node " + node, () -> contracts.nodesView().nodeInfo(node.toHex()).send());
    NodeStanding s =
        new NodeStanding(
            node,
            Boolean.TRUE.equals(info.registered),
            info.unbondingSince.signum() != 0,
            info.stake,
            minStake(),
            info.price,
            info.endpoint,
            RegistryModels.levelsOf(info.levels.intValueExact()));
    standing.put(node, new Cached<>(s, clock.instant()));
    return s;
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
    Map<Address, Set<VerificationLevel>> eligibleAt = new LinkedHashMap<>();
    for (VerificationLevel level : sorted) {
      var answer =
          VouchContracts.call(
              "reading the candidates for " + modelId + " at " + level,
              () ->
                  contracts
                      .nodesView()
                      .candidates(modelId.toArray(), BigInteger.valueOf(level.code()))
                      .send());
      for (String a : answer.component1()) {
        eligibleAt
            .computeIfAbsent(Address.fromHex(a), x -> EnumSet.noneOf(VerificationLevel.class))
            .add(level);
      }
    }
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
    Map<Address, Set<VerificationLevel>> eligibleAt = new LinkedHashMap<>();
    Set<VerificationLevel> sorted = EnumSet.noneOf(VerificationLevel.class);
    sorted.addAll(levels);
    for (VerificationLevel level : sorted) {
      var answer =
          VouchContracts.call(
              "reading the candidates for " + modelId + " at " + level,
              () ->
                  contracts
                      .nodesView()
                      .candidates(modelId.toArray(), BigInteger.valueOf(level.code()))
                      .send());
      for (String a : answer.component1()) {
        eligibleAt
            .computeIfAbsent(Address.fromHex(a), x -> EnumSet.noneOf(VerificationLevel.class))
            .add(level);
      }
    }
    for (var e : eligibleAt.entrySet()) {
      Address node = e.getKey();
      NodeRegistry.NodeInfo info =
          VouchContracts.call(
              "reading node " + node, () -> contracts.nodesView().nodeInfo(node.toHex()).send());
      var schedule =
          VouchContracts.call(
              "reading the price schedule of " + node,
              () -> contracts.nodesView().priceSchedule(node.toHex()).send());
      long effectiveAt = schedule.component3().longValueExact();
      out.add(
          new NodeOffer(
              node,
              info.endpoint,
              e.getValue(),
              schedule.component1(),
              effectiveAt == 0
                  ? Optional.empty()
                  : Optional.of(new NodeOffer.PriceChange(schedule.component2(), effectiveAt)),
              info.stake));
    }
    return out;
  }

  /**
   * Read from the chain every time, never cached: a revocation by governance or the node must count
   * at once.
   */
  @Override
  public boolean isActiveEnclaveKey(Address node, Address enclaveKey) {
    return VouchContracts.call(
        "reading whether " + enclaveKey + " is an active enclave key of " + node,
        () -> contracts.nodesView().isActiveEnclaveKey(node.toHex(), enclaveKey.toHex()).send());
  }

  @Override
  public Optional<byte[]> attestationDocument(
      Address node, Address enclaveKey, Bytes32 documentHash) {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(
                BigInteger.valueOf(contracts.deployment().deployedAtBlock())),
            DefaultBlockParameterName.LATEST,
            contracts.deployment().nodeRegistry().toHex());
    filter.addSingleTopic(EventEncoder.encode(NodeRegistry.ENCLAVEKEYREGISTERED_EVENT));
    filter.addSingleTopic(topic(node));
    filter.addSingleTopic(topic(enclaveKey));
    EthLog logs =
        VouchContracts.call(
            "reading the EnclaveKeyRegistered events of " + enclaveKey,
            () -> contracts.web3j().ethGetLogs(filter).send());
    if (logs.hasError()) {
      throw new IllegalStateException(
          "eth_getLogs for EnclaveKeyRegistered failed: " + logs.getError().getMessage());
    }
    for (EthLog.LogResult<?> result : logs.getLogs()) {
      if (result.get() instanceof Log log) {
        var event = NodeRegistry.getEnclaveKeyRegisteredEventFromLog(log);
        if (Arrays.equals(event.attestationDocHash, documentHash.toArray())) {
          return Optional.of(event.attestationDoc);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public Duration maxKeyAge() {
    BigInteger ttl = maxAttestationTtl;
    if (ttl == null) {
      // Immutable in the contract: read once.
      ttl =
          VouchContracts.call(
              "reading maxAttestationTtl", () -> contracts.nodesView().maxAttestationTtl().send());
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
          VouchContracts.call(
              "reading developmentAttestationAllowed",
              () -> contracts.nodesView().developmentAttestationAllowed().send());
      developmentAttestationAllowed = allowed;
    }
    return allowed;
  }

  private static String topic(Address a) {
    return "0x" + TypeEncoder.encode(new org.web3j.abi.datatypes.Address(a.toHex()));
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
      m = VouchContracts.call("reading minStake", () -> contracts.nodesView().minStake().send());
      minStake = m;
    }
    return m;
  }

  private boolean fresh(Cached<?> c) {
    return c != null && !cacheTtl.isZero() && c.readAt().plus(cacheTtl).isAfter(clock.instant());
  }
}
