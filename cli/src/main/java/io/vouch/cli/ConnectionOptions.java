package io.vouch.cli;

import io.vouch.chain.VouchDeployment;
import io.vouch.cli.devnet.DevnetState;
import io.vouch.core.Bytes32;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.VouchConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a command finds the network: a running devnet folder (the default), or an explicit RPC
 * endpoint, deployment file, model hub and key.
 */
public final class ConnectionOptions {
  @Option(
      names = "--devnet",
      defaultValue = ".vouch/devnet",
      description = "Devnet folder to connect to (ignored when --rpc is given).")
  Path devnet;

  @Option(names = "--rpc", description = "JSON-RPC URL of the chain.")
  String rpc;

  @Option(names = "--deployment", description = "Deployment JSON (contract addresses).")
  Path deployment;

  @Option(names = "--model-hub", description = "Model hub URL.")
  URI modelHub;

  @Option(
      names = "--key",
      description =
          "Your secp256k1 private key (pays and publishes). Devnet default: its user key.")
  String key;

  public VouchConfig config() {
    VouchConfig c;
    String k = key;
    if (rpc != null) {
      if (deployment == null) {
        throw new IllegalArgumentException("--rpc needs --deployment (the contracts' addresses)");
      }
      c = VouchConfig.of(rpc, VouchDeployment.readFrom(deployment));
      if (modelHub != null) {
        c = c.withHubs(modelHub);
      }
    } else {
      DevnetState s = DevnetState.read(devnet.toAbsolutePath());
      c =
          VouchConfig.of(s.rpcUrl(), s.deployment().toDeployment())
              .withHubs(modelHub != null ? modelHub : URI.create(s.modelHubUrl()));
      if (k == null) {
        k = s.userKey();
      }
    }
    return k == null ? c : c.withKey(Bytes32.fromHex(k));
  }

  public VouchClient connect() {
    return VouchClient.connect(config());
  }

  /** Like {@link #connect()}, checking TEE results as {@code tee} says. */
  public VouchClient connect(TeeTrustOptions tee) {
    return VouchClient.connect(config().withTeeTrust(tee.trust(devnetFolder())));
  }

  /** The devnet folder this connects to; empty when {@code --rpc} names the chain. */
  public Optional<Path> devnetFolder() {
    return rpc != null ? Optional.empty() : Optional.of(devnet.toAbsolutePath());
  }
}
