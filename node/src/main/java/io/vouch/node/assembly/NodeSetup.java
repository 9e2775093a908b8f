package io.vouch.node.assembly;

import io.vouch.core.crypto.Secp256k1;
import io.vouch.node.tee.TeeProfile;
import java.util.Optional;

/**
 * Everything a node process is started with, one record per concern.
 *
 * @param key the node's staked key: signs receipts and, on chain, transactions
 * @param tee the TEE level's profile (development simulator only so far); on chain only, since the
 *     enclave key is registered there
 */
public record NodeSetup(
    Secp256k1.KeyPair key,
    HttpConfig http,
    ChainConfig chain,
    ModelConfig models,
    Optional<TeeProfile> tee) {
  public NodeSetup {
    tee = tee == null ? Optional.empty() : tee;
    if (tee.isPresent() && !(chain instanceof ChainConfig.OnChain)) {
      throw new IllegalArgumentException(
          "the TEE level needs a node on chain: the enclave key is registered there");
    }
  }
}
