package io.vouch.cli.options;

import io.vouch.chain.VouchDeployment;
import io.vouch.core.Address;
import io.vouch.node.assembly.ChainConfig;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The chain of {@code vouch node run}: {@code --rpc} and {@code --deployment} put the node on chain
 * (stake, journal folder, polling, advertised endpoint); {@code --chain-id} and {@code --hub} name
 * only the receipts' domain, for the direct path.
 */
public final class NodeChainOptions {
  @Option(names = "--rpc", description = "JSON-RPC URL of the settlement chain.")
  String rpc;

  @Option(names = "--deployment", description = "Deployment JSON (written by `vouch devnet up`).")
  Path deployment;

  @Option(
      names = "--chain-id",
      description = "Chain id (direct path only; else from --deployment).")
  Long chainId;

  @Option(names = "--hub", description = "InferenceHub address (direct path only).")
  String hub;

  @Option(
      names = "--stake-wei",
      defaultValue = "1000000000000000000",
      description = "Stake to register with, in wei (used once, at first registration).")
  BigInteger stakeWei;

  @Option(names = "--data-dir", description = "Journal folder (default .vouch/node-<address>).")
  Path dataDir;

  @Option(names = "--endpoint", description = "URL to advertise in the registry.")
  String endpoint;

  @Option(names = "--poll-ms", defaultValue = "250", description = "Chain polling interval.")
  long pollMs;

  /**
   * The chain configuration; the deployment file is read here.
   *
   * @param node the node's address: its journal folder's default name
   * @throws IllegalArgumentException when neither pair (or half of one) is given, or {@code --hub}
   *     is not an address
   * @throws java.io.UncheckedIOException when the deployment file cannot be read
   */
  public ChainConfig toConfig(Address node) {
    if (deployment != null || rpc != null) {
      if (deployment == null || rpc == null) {
        throw new IllegalArgumentException("--rpc and --deployment go together");
      }
      VouchDeployment d = VouchDeployment.readFrom(deployment);
      return new ChainConfig.OnChain(
          rpc,
          d,
          stakeWei,
          dataDir != null ? dataDir : Path.of(".vouch", "node-" + node),
          Duration.ofMillis(pollMs),
          Optional.ofNullable(endpoint));
    }
    if (chainId == null || hub == null) {
      throw new IllegalArgumentException(
          "give --rpc and --deployment (on chain), or --chain-id and --hub (direct path only)");
    }
    return new ChainConfig.DirectOnly(chainId, Address.fromHex(hub));
  }
}
