package io.vouch.node;

import io.vouch.chain.VouchDeployment;
import io.vouch.evidence.TeeTrust;
import io.vouch.node.settlement.SettlementSettings;
import io.vouch.node.tee.TeeProfile;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How a node takes part on chain: the RPC endpoint and deployment it works against, the stake it
 * registers with, where it fetches models from and which it serves, and where its journal lives.
 *
 * @param advertisedEndpoint the URL put in the registry; {@code null} = the API's bound URL
 * @param settlement direct-path payment and settlement: whether vouchers are required (by default
 *     yes: a node on chain with a non-zero price refuses unpaid direct requests), when receipt
 *     roots are posted and vouchers redeemed. The receipt log lives next to the journal.
 * @param tee the TEE level (development simulator only so far), or empty for VANILLA only
 * @param roles what the node registers as and does: {@link NodeRole#INFERENCE} (the default),
 *     {@link NodeRole#VALIDATOR}, or both
 * @param validatorTrust the roots a validator checks enclave keys' attestation documents against
 *     (KeyApproval cases): the AWS Nitro root, and a development root that it uses only on a
 *     deployment whose NodeRegistry allows development attestation; with neither it casts no vote
 *     on keys
 */
public record ChainSettings(
    String rpcUrl,
    VouchDeployment deployment,
    BigInteger stakeWei,
    List<URI> modelHubs,
    Predicate<String> servedModels,
    Path journal,
    Duration pollInterval,
    String advertisedEndpoint,
    SettlementSettings settlement,
    Optional<TeeProfile> tee,
    Set<NodeRole> roles,
    TeeTrust validatorTrust,
    int challengeRateBps) {

  /**
   * Settings without challenges: a validator re-executes no unaudited VANILLA result ({@code vouch
   * node run --challenge-rate} sets a share; its default is 10 %).
   */
  public ChainSettings(
      String rpcUrl,
      VouchDeployment deployment,
      BigInteger stakeWei,
      List<URI> modelHubs,
      Predicate<String> servedModels,
      Path journal,
      Duration pollInterval,
      String advertisedEndpoint,
      SettlementSettings settlement,
      Optional<TeeProfile> tee,
      Set<NodeRole> roles,
      TeeTrust validatorTrust) {
    this(
        rpcUrl,
        deployment,
        stakeWei,
        modelHubs,
        servedModels,
        journal,
        pollInterval,
        advertisedEndpoint,
        settlement,
        tee,
        roles,
        validatorTrust,
        0);
  }

  public ChainSettings {
    if (challengeRateBps < 0 || challengeRateBps > 10_000) {
      throw new IllegalArgumentException(
          "a challenge rate is 0 % to 100 % (0 to 10,000 basis points), got "
              + challengeRateBps
              + " bps");
    }
    roles = roles == null || roles.isEmpty() ? Set.of(NodeRole.INFERENCE) : Set.copyOf(roles);
    modelHubs = List.copyOf(modelHubs);
    if (settlement == null) {
      settlement = SettlementSettings.defaults();
    }
    if (tee == null) {
      tee = Optional.empty();
    }
    if (validatorTrust == null) {
      validatorTrust = TeeTrust.attested();
    }
  }

  /**
   * Settings with the default settlement ({@link SettlementSettings#defaults()}) and no TEE; {@link
   * #withSettlement} and {@link #withTee} change them.
   */
  public ChainSettings(
      String rpcUrl,
      VouchDeployment deployment,
      BigInteger stakeWei,
      List<URI> modelHubs,
      Predicate<String> servedModels,
      Path journal,
      Duration pollInterval,
      String advertisedEndpoint) {
    this(
        rpcUrl,
        deployment,
        stakeWei,
        modelHubs,
        servedModels,
        journal,
        pollInterval,
        advertisedEndpoint,
        SettlementSettings.defaults(),
        Optional.empty(),
        Set.of(NodeRole.INFERENCE),
        TeeTrust.attested());
  }

  /** Settings with the roles given instead of the default inference role. */
  public ChainSettings withRoles(Set<NodeRole> r) {
    return withOptions(settlement, tee, r, validatorTrust, challengeRateBps);
  }

  /** Settings with the settlement given instead of the current one. */
  public ChainSettings withSettlement(SettlementSettings s) {
    return withOptions(s, tee, roles, validatorTrust, challengeRateBps);
  }

  /**
   * The same settings with the TEE level on: the node boots an enclave, registers its key, and
   * serves TEE for the models that allow it.
   */
  public ChainSettings withTee(TeeProfile profile) {
    return withOptions(settlement, Optional.of(profile), roles, validatorTrust, challengeRateBps);
  }

  /**
   * The same settings with the roots the validator role checks enclave keys' attestation documents
   * against (a devnet's development root, the AWS Nitro root).
   */
  public ChainSettings withValidatorTrust(TeeTrust trust) {
    return withOptions(settlement, tee, roles, trust, challengeRateBps);
  }

  /** The share, in basis points, of unaudited VANILLA results a validator re-executes. */
  public ChainSettings withChallengeRate(int bps) {
    return withOptions(settlement, tee, roles, validatorTrust, bps);
  }

  /**
   * The same place in the network (RPC, deployment, stake, hubs, models, journal, polling,
   * endpoint) with these options.
   */
  private ChainSettings withOptions(
      SettlementSettings s, Optional<TeeProfile> t, Set<NodeRole> r, TeeTrust trust, int bps) {
    return new ChainSettings(
        rpcUrl,
        deployment,
        stakeWei,
        modelHubs,
        servedModels,
        journal,
        pollInterval,
        advertisedEndpoint,
        s,
        t,
        r,
        trust,
        bps);
  }

  /** Where the validator's verdict journal is kept: next to the journal. */
  public Path verdictJournal() {
    return journal.toAbsolutePath().getParent().resolve("verdicts.jsonl");
  }

  /** Where the receipt log of the direct path is kept: next to the journal. */
  public Path receiptLog() {
    Path dir = journal.toAbsolutePath().getParent();
    return dir.resolve("receipts.log");
  }
}
