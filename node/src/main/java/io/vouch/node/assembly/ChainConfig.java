package io.vouch.node.assembly;

import io.vouch.chain.VouchDeployment;
import io.vouch.core.Address;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The chain a node signs its receipts for, and whether it takes part in it: {@link DirectOnly}
 * names only the EIP-712 domain (chain id and hub), {@link OnChain} also registers, serves the
 * registry's models and works assigned requests.
 */
public sealed interface ChainConfig {
  /** Chain id of the receipts' EIP-712 domain. */
  long chainId();

  /** InferenceHub address of the receipts' EIP-712 domain. */
  Address hub();

  /** The direct path only: receipts signed in this domain, no chain access, no journal. */
  record DirectOnly(long chainId, Address hub) implements ChainConfig {}

  /**
   * A node on chain.
   *
   * @param rpcUrl JSON-RPC URL of the chain
   * @param deployment the contracts it works against (its chain id and hub are the domain)
   * @param stakeWei stake to register with (used once, at first registration)
   * @param dataDir the node's folder: journal, receipt log, proofs
   * @param pollInterval how often the chain is polled
   * @param advertisedEndpoint the URL put in the registry; empty = the API's bound URL
   */
  record OnChain(
      String rpcUrl,
      VouchDeployment deployment,
      BigInteger stakeWei,
      Path dataDir,
      Duration pollInterval,
      Optional<String> advertisedEndpoint)
      implements ChainConfig {
    public OnChain {
      advertisedEndpoint = advertisedEndpoint == null ? Optional.empty() : advertisedEndpoint;
    }

    @Override
    public long chainId() {
      return deployment.chainId();
    }

    @Override
    public Address hub() {
      return deployment.inferenceHub();
    }

    /** The journal's file in {@link #dataDir}; the receipt log and proofs sit beside it. */
    public Path journal() {
      return dataDir.resolve("journal.jsonl");
    }
  }
}
