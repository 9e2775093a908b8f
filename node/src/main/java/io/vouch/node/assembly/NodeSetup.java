package io.vouch.node.assembly;

import io.vouch.core.crypto.Secp256k1;
import io.vouch.evidence.TeeTrust;
import io.vouch.node.NodeRole;
import io.vouch.node.tee.TeeProfile;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a node process is started with, one record per concern.
 *
 * @param key the node's staked key: signs receipts and, on chain, transactions
 * @param tee the TEE level's profile (development simulator only so far); on chain only, since the
 *     enclave key is registered there
 * @param roles what the node does: {@link NodeRole#INFERENCE} (the default) and/or {@link
 *     NodeRole#VALIDATOR}, which judges on chain only
 * @param fault present only for a devnet's faulty node ({@link DevnetFault}), refused elsewhere
 * @param challengeRateBps the share, in basis points, of unaudited VANILLA results the validator
 *     role re-executes (and challenges when they do not match); 0: none
 * @param validatorTrust the roots the validator role checks enclave keys' attestation documents
 *     against ({@link io.vouch.node.ChainSettings#validatorTrust})
 */
public record NodeSetup(
    Secp256k1.KeyPair key,
    HttpConfig http,
    ChainConfig chain,
    ModelConfig models,
    Optional<TeeProfile> tee,
    Set<NodeRole> roles,
    Optional<DevnetFault> fault,
    TeeTrust validatorTrust,
    int challengeRateBps) {
  public NodeSetup {
    validatorTrust = validatorTrust == null ? TeeTrust.attested() : validatorTrust;
    fault = fault == null ? Optional.empty() : fault;
    tee = tee == null ? Optional.empty() : tee;
    roles = roles == null || roles.isEmpty() ? Set.of(NodeRole.INFERENCE) : Set.copyOf(roles);
    if (tee.isPresent() && !(chain instanceof ChainConfig.OnChain)) {
      throw new IllegalArgumentException(
          "the TEE level needs a node on chain: the enclave key is registered there");
    }
    if (roles.contains(NodeRole.VALIDATOR) && !(chain instanceof ChainConfig.OnChain)) {
      throw new IllegalArgumentException(
          "--role validator needs --rpc and --deployment: validators judge on chain");
    }
    if (fault.isPresent()) {
      DevnetFault.refusalFor(chain)
          .ifPresent(why -> {
            throw new IllegalArgumentException(why);
          });
      if (!roles.contains(NodeRole.INFERENCE)) {
        throw new IllegalArgumentException(
            "a faulty node is an inference node: it lies about the results it executes");
      }
    }
  }

  /** A node without a devnet fault. */
  public NodeSetup(
      Secp256k1.KeyPair key,
      HttpConfig http,
      ChainConfig chain,
      ModelConfig models,
      Optional<TeeProfile> tee,
      Set<NodeRole> roles) {
    this(key, http, chain, models, tee, roles, Optional.empty(), TeeTrust.attested(), 0);
  }

  /** An inference node. */
  public NodeSetup(
      Secp256k1.KeyPair key,
      HttpConfig http,
      ChainConfig chain,
      ModelConfig models,
      Optional<TeeProfile> tee) {
    this(key, http, chain, models, tee, Set.of(NodeRole.INFERENCE));
  }
}
