package io.vouch.node;

import io.vouch.chain.VouchDeployment;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * How a node takes part on chain: the RPC endpoint and deployment it works against, the stake it
 * registers with, where it fetches models from and which it serves, and where its journal lives.
 *
 * @param advertisedEndpoint the URL put in the registry; {@code null} = the API's bound URL
 */
public record ChainSettings(
    String rpcUrl,
    VouchDeployment deployment,
    BigInteger stakeWei,
    List<URI> modelHubs,
    Predicate<String> servedModels,
    Path journal,
    Duration pollInterval,
    String advertisedEndpoint) {

  public ChainSettings {
    modelHubs = List.copyOf(modelHubs);
  }
}
