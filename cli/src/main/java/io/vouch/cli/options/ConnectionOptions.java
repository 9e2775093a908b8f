package io.vouch.cli.options;

import io.vouch.chain.VouchDeployment;
import io.vouch.cli.devnet.DevnetState;
import io.vouch.core.Bytes32;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.VouchConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where a command finds the network: a running devnet folder (the default), or an explicit RPC
 * endpoint, deployment file, model hub and key.
 */
public final class ConnectionOptions {
  static final Pattern PRIVATE_KEY = Pattern.compile("(0x)?[0-9a-fA-F]{64}");

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec command;

  @Option(
      names = "--devnet",
      paramLabel = "DIR",
      defaultValue = ".vouch/devnet",
      description = "Devnet folder to connect to (default: ${DEFAULT-VALUE}; ignored with --rpc).")
  Path devnet;

  @Option(
      names = "--rpc",
      paramLabel = "URL",
      description = "JSON-RPC URL of the chain (with --deployment).")
  String rpc;

  @Option(
      names = "--deployment",
      paramLabel = "FILE",
      description = "Deployment JSON: the contracts' addresses (with --rpc).")
  Path deployment;

  @Option(names = "--model-hub", paramLabel = "URL", description = "Model hub URL.")
  URI modelHub;

  @Option(
      names = "--key",
      paramLabel = "HEX",
      description =
          "Your secp256k1 private key, 0x and 64 hex digits (pays and publishes). Devnet default:"
              + " its user key.")
  String key;

  public VouchConfig config() {
    VouchConfig c;
    String k = key;
    if (k != null && !PRIVATE_KEY.matcher(k.strip()).matches()) {
      throw usage(
          "--key must be a secp256k1 private key, 0x and 64 hex digits; got "
              + k.strip().replaceFirst("^0x", "").length()
              + " characters"
              + (k.strip().replaceFirst("^0x", "").matches("[0-9a-fA-F]*") ? "" : ", not all hex"));
    }
    if (rpc != null || deployment != null) {
      if (rpc == null || deployment == null) {
        throw usage(
            rpc == null
                ? "--deployment needs --rpc (the chain's JSON-RPC URL)"
                : "--rpc needs --deployment (the contracts' addresses, a deployment JSON such as"
                    + " .vouch/devnet/deployment.json)");
      }
      if (!Files.exists(deployment)) {
        throw new VouchException(ErrorCode.BAD_INPUT, "no such file: " + deployment);
      }
      c = VouchConfig.of(rpc, VouchDeployment.readFrom(deployment));
      if (modelHub != null) {
        c = c.withHubs(modelHub);
      }
    } else {
      Path dir = devnet.toAbsolutePath();
      if (!DevnetState.exists(dir)) {
        throw new VouchException(
            ErrorCode.NODE_UNAVAILABLE,
            "no devnet is running at "
                + dir
                + " (never started, or stopped by vouch devnet down); start one with vouch devnet"
                + " up, or name a network with --rpc and --deployment");
      }
      DevnetState s = DevnetState.read(dir);
      c =
          VouchConfig.of(s.rpcUrl(), s.deployment().toDeployment())
              .withHubs(modelHub != null ? modelHub : URI.create(s.modelHubUrl()));
      if (k == null) {
        k = s.userKey();
      }
    }
    return k == null ? c : c.withKey(Bytes32.fromHex(k.strip()));
  }

  private RuntimeException usage(String message) {
    return command == null
        ? new IllegalArgumentException(message)
        : new CommandLine.ParameterException(command.commandLine(), message);
  }

  public VouchClient connect() {
    return VouchClient.connect(config());
  }

  /** Like {@link #connect()}, checking TEE results as {@code tee} says. */
  public VouchClient connect(TeeTrustOptions tee) {
    return VouchClient.connect(config().withTeeTrust(tee.trust(devnetFolder())));
  }

  /** Whether {@code --key} (or {@code VOUCH_KEY}) was given, rather than a devnet's default key. */
  public boolean keyGiven() {
    return key != null;
  }

  /** The devnet folder this connects to; empty when {@code --rpc} names the chain. */
  public Optional<Path> devnetFolder() {
    return rpc != null ? Optional.empty() : Optional.of(devnet.toAbsolutePath());
  }
}
