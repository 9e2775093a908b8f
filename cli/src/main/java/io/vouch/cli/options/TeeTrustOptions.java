package io.vouch.cli.options;

import io.vouch.cli.devnet.DevnetSupervisor;
import io.vouch.evidence.TeeTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How {@code vouch infer} and {@code vouch verify} check TEE results. By default the attestation
 * document of the signing enclave key is fetched from the registry and verified under the
 * configured roots: the AWS Nitro root ({@code --nitro-root}, or {@code $VOUCH_NITRO_ROOT}), and on
 * a devnet its development root ({@code <devnet>/tee-dev-root.pem}, trusted only because the
 * devnet's registry allows development attestation). With neither, TEE results are refused, saying
 * how to configure a root. {@code --tee-trust chain-only} is the explicit opt-out.
 */
public final class TeeTrustOptions {
  @Option(
      names = "--nitro-root",
      paramLabel = "PEM",
      description =
          "AWS Nitro Enclaves root G1 certificate (checked against its SHA-256 pin): TEE results'"
              + " attestation documents are verified under it. Environment: VOUCH_NITRO_ROOT.")
  Path nitroRoot;

  @Option(
      names = "--tee-dev-root",
      paramLabel = "PEM",
      description =
          "DEVELOPMENT ONLY: a development enclave root, trusted only on a deployment whose"
              + " NodeRegistry allows development attestation. Default when connecting to a devnet"
              + " folder: <devnet>/tee-dev-root.pem if it exists.")
  Path teeDevRoot;

  @Option(
      names = "--tee-trust",
      defaultValue = "attested",
      paramLabel = "attested|chain-only",
      description =
          "attested (default): a TEE result needs an attestation document that verifies under a"
              + " configured root; chain-only: enclave signature and on-chain key status only.")
  String mode;

  /**
   * The trust for a client; {@code devnet} is the devnet folder it connects to, if any (its
   * development root is used when no {@code --tee-dev-root} is given).
   *
   * @throws IllegalArgumentException for an unknown {@code --tee-trust}
   */
  public TeeTrust trust(Optional<Path> devnet) {
    switch (mode) {
      case "chain-only" -> {
        return TeeTrust.chainOnly();
      }
      case "attested" -> {
        TeeTrust trust = TeeTrust.attested();
        if (nitroRoot != null) {
          trust = trust.withAwsRoot(nitroRoot);
        }
        Optional<Path> dev =
            Optional.ofNullable(teeDevRoot)
                .or(() -> devnet.map(DevnetSupervisor::teeDevRootFile).filter(Files::exists));
        return dev.isPresent() ? trust.withDevelopmentRoot(dev.get()) : trust;
      }
      default ->
          throw new IllegalArgumentException(
              "--tee-trust must be attested or chain-only, not '" + mode + "'");
    }
  }
}
