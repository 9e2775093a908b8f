package io.vouch.cli.options;

import io.vouch.evidence.TeeTrust;
import io.vouch.node.NodeRole;
import io.vouch.node.assembly.ChainConfig;
import io.vouch.node.tee.TeeProfile;
import io.vouch.tee.dev.DevRootAuthority;
import io.vouch.tee.nitro.TrustAnchorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The TEE level of {@code vouch node run}: only the development enclave simulator exists. A
 * validator ({@code --role validator}) takes the roots it checks enclave keys' attestation
 * documents against: {@code --nitro-root} (the AWS Nitro root, which a deployment that does not
 * allow development attestation requires) and {@code --tee-dev-root} without {@code --tee} (the
 * devnet's development root, which a deployment that allows development attestation requires). The
 * node checks at startup that it holds the root its deployment accepts ({@code ValidatorAnchors}).
 */
public final class NodeTeeOptions {
  @Option(
      names = "--tee",
      paramLabel = "PROFILE",
      description =
          "Serve the TEE level. Only 'dev' exists: a SIMULATED enclave under the development root"
              + " of --tee-dev-root (no hardware, no isolation; development only). Needs"
              + " --rpc/--deployment.")
  String tee;

  @Option(
      names = "--tee-dev-root",
      paramLabel = "FILE",
      description =
          "DEVELOPMENT ONLY: the devnet's shared enclave root with its private keys (written by"
              + " `vouch devnet up --tee` as <devnet>/tee-dev-root.pem). With --tee dev the"
              + " simulated enclave's root; with --role validator the root that enclave keys'"
              + " attestations are checked against (only where the deployment allows development"
              + " attestation).")
  Path teeDevRoot;

  @Option(
      names = "--nitro-root",
      paramLabel = "PEM",
      description =
          "With --role validator: the AWS Nitro Enclaves root G1 certificate (checked against its"
              + " SHA-256 pin) that enclave keys' attestation documents are checked against."
              + " Required on a deployment that does not allow development attestation; not used"
              + " by an inference node (the variable is shared with vouch infer and vouch verify)."
              + " Environment: VOUCH_NITRO_ROOT; config file key: nitro-root.")
  Path nitroRoot;

  /**
   * The TEE profile of {@code --tee}, empty without it; the development root is read here.
   *
   * @param chain the node's chain: the enclave key is registered on chain, so a direct-only node
   *     cannot serve TEE
   * @throws IllegalArgumentException for {@code --tee} on the direct path, a profile other than
   *     {@code dev}, or a missing development root
   */
  public Optional<TeeProfile> toConfig(ChainConfig chain) {
    return toConfig(chain, Set.of(NodeRole.INFERENCE));
  }

  /**
   * Like {@link #toConfig(ChainConfig)}; a node in the validator role may give {@code
   * --tee-dev-root} without {@code --tee} ({@link #validatorTrust}).
   */
  public Optional<TeeProfile> toConfig(ChainConfig chain, Set<NodeRole> roles) {
    if (!(chain instanceof ChainConfig.OnChain)) {
      if (tee != null) {
        throw new IllegalArgumentException(
            "--tee needs --rpc and --deployment: the enclave key is registered on chain");
      }
      return Optional.empty();
    }
    if (tee == null) {
      if (teeDevRoot != null && !roles.contains(NodeRole.VALIDATOR)) {
        throw new IllegalArgumentException("--tee-dev-root is used only with --tee dev");
      }
      return Optional.empty();
    }
    if (!tee.equals("dev")) {
      throw new IllegalArgumentException(
          "--tee takes 'dev' (the development enclave simulator), got '"
              + tee
              + "'; no hardware enclave binding exists yet");
    }
    if (teeDevRoot == null) {
      throw new IllegalArgumentException(
          "--tee dev needs --tee-dev-root FILE: the devnet's development root"
              + " (<devnet>/tee-dev-root.pem, written by `vouch devnet up --tee`)");
    }
    if (!Files.isRegularFile(teeDevRoot)) {
      throw new IllegalArgumentException("--tee-dev-root " + teeDevRoot + " does not exist");
    }
    return Optional.of(TeeProfile.development(DevRootAuthority.readFrom(teeDevRoot)));
  }

  /**
   * The roots the validator role checks enclave keys' attestation documents against: the AWS Nitro
   * root of {@code --nitro-root} and the development root of {@code --tee-dev-root}, each when
   * given (the development root is used only where the deployment allows development attestation).
   * Whether they suit the deployment is checked when the validator starts.
   *
   * @throws IllegalArgumentException when a file does not exist, or {@code --nitro-root} is not the
   *     pinned AWS Nitro root
   */
  public TeeTrust validatorTrust() {
    TeeTrust trust = TeeTrust.attested();
    if (nitroRoot != null) {
      if (!Files.isRegularFile(nitroRoot)) {
        throw new IllegalArgumentException("--nitro-root " + nitroRoot + " does not exist");
      }
      try {
        trust = trust.withAwsRoot(nitroRoot);
      } catch (TrustAnchorException e) {
        throw new IllegalArgumentException(
            "--nitro-root " + nitroRoot + " is not the AWS Nitro root: " + e.getMessage(), e);
      }
    }
    if (teeDevRoot == null) {
      return trust;
    }
    if (!Files.isRegularFile(teeDevRoot)) {
      throw new IllegalArgumentException("--tee-dev-root " + teeDevRoot + " does not exist");
    }
    return trust.withDevelopmentRoot(teeDevRoot);
  }
}
