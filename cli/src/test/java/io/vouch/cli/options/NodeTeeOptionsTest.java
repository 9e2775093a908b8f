package io.vouch.cli.options;

import static io.vouch.cli.options.OptionGroupProbe.DEPLOYMENT;
import static io.vouch.cli.options.OptionGroupProbe.RPC;
import static io.vouch.cli.options.OptionGroupProbe.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.node.assembly.ChainConfig;
import io.vouch.node.tee.TeeProfile;
import io.vouch.tee.dev.DevRootAuthority;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTeeOptionsTest {
  static final ChainConfig DIRECT =
      new ChainConfig.DirectOnly(
          31337, Address.fromHex("0x00000000000000000000000000000000000000aa"));
  static final ChainConfig ON_CHAIN =
      new ChainConfig.OnChain(
          RPC,
          DEPLOYMENT,
          BigInteger.ONE,
          Path.of("data"),
          Duration.ofMillis(250),
          Optional.empty());

  @TempDir Path dir;

  Path devRoot() {
    Path pem = dir.resolve("tee-dev-root.pem");
    DevRootAuthority.generate(Instant.now()).writeTo(pem);
    return pem;
  }

  @Test
  void withoutTeeThereIsNoProfile() {
    assertThat(parse(new NodeTeeOptions()).toConfig(DIRECT)).isEmpty();
    assertThat(parse(new NodeTeeOptions()).toConfig(ON_CHAIN)).isEmpty();
  }

  @Test
  void teeDevWithTheDevnetsRootIsTheDevelopmentProfile() {
    Path root = devRoot();

    Optional<TeeProfile> p =
        parse(new NodeTeeOptions(), "--tee", "dev", "--tee-dev-root", root.toString())
            .toConfig(ON_CHAIN);

    assertThat(p).isPresent();
    assertThat(p.get().devRoot().rootPem()).isEqualTo(DevRootAuthority.readFrom(root).rootPem());
    assertThat(p.get().keyTtl()).isEqualTo(TeeProfile.DEFAULT_KEY_TTL);
  }

  @Test
  void teeOnTheDirectPathIsRefused() {
    NodeTeeOptions tee =
        parse(new NodeTeeOptions(), "--tee", "dev", "--tee-dev-root", devRoot().toString());

    assertThatThrownBy(() -> tee.toConfig(DIRECT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--tee needs --rpc and --deployment: the enclave key is registered on chain");
  }

  @Test
  void aProfileOtherThanDevIsRefused() {
    NodeTeeOptions tee = parse(new NodeTeeOptions(), "--tee", "nitro");

    assertThatThrownBy(() -> tee.toConfig(ON_CHAIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--tee takes 'dev' (the development enclave simulator), got 'nitro'; no hardware"
                + " enclave binding exists yet");
  }

  @Test
  void teeDevNeedsTheDevelopmentRoot() {
    NodeTeeOptions tee = parse(new NodeTeeOptions(), "--tee", "dev");

    assertThatThrownBy(() -> tee.toConfig(ON_CHAIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--tee dev needs --tee-dev-root FILE: the devnet's development root"
                + " (<devnet>/tee-dev-root.pem, written by `vouch devnet up --tee`)");
  }

  @Test
  void aDevelopmentRootThatDoesNotExistIsRefused() {
    Path missing = dir.resolve("none.pem");
    NodeTeeOptions tee =
        parse(new NodeTeeOptions(), "--tee", "dev", "--tee-dev-root", missing.toString());

    assertThatThrownBy(() -> tee.toConfig(ON_CHAIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--tee-dev-root " + missing + " does not exist");
  }

  @Test
  void aDevelopmentRootWithoutTeeIsRefusedOnChain() {
    NodeTeeOptions tee = parse(new NodeTeeOptions(), "--tee-dev-root", devRoot().toString());

    assertThatThrownBy(() -> tee.toConfig(ON_CHAIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--tee-dev-root is used only with --tee dev");
  }

  // ---- the validator's roots ----

  static Path awsRootPem() {
    Path pem =
        Path.of(System.getProperty("vouch.shared", "../../shared"))
            .resolve("fixtures/tee/roots/aws-nitro-root.pem");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isRegularFile(pem), "the AWS Nitro root fixture is at " + pem);
    return pem;
  }

  @Test
  void aValidatorTakesThePinnedAwsNitroRootAndTheDevelopmentRoot() {
    Path dev = devRoot();
    NodeTeeOptions tee =
        parse(
            new NodeTeeOptions(),
            "--nitro-root",
            awsRootPem().toString(),
            "--tee-dev-root",
            dev.toString());

    assertThat(tee.toConfig(ON_CHAIN, java.util.Set.of(io.vouch.node.NodeRole.VALIDATOR)))
        .isEmpty();
    var trust = tee.validatorTrust();
    assertThat(trust.awsRoot()).isPresent();
    assertThat(trust.developmentRoot()).isPresent();
    assertThat(parse(new NodeTeeOptions()).validatorTrust().awsRoot()).isEmpty();
  }

  @Test
  void aNitroRootThatIsNotThePinnedAwsRootIsRefused() {
    Path notAws = devRoot();
    NodeTeeOptions tee = parse(new NodeTeeOptions(), "--nitro-root", notAws.toString());

    assertThatThrownBy(tee::validatorTrust)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--nitro-root " + notAws + " is not the AWS Nitro root: ");
  }

  @Test
  void aNitroRootThatDoesNotExistIsRefused() {
    Path missing = dir.resolve("none.pem");
    NodeTeeOptions tee = parse(new NodeTeeOptions(), "--nitro-root", missing.toString());

    assertThatThrownBy(tee::validatorTrust)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--nitro-root " + missing + " does not exist");
  }

  @Test
  void aNitroRootIsNotUsedByAnInferenceNode() {
    // VOUCH_NITRO_ROOT serves vouch infer and vouch verify too: an inference node ignores it
    NodeTeeOptions tee = parse(new NodeTeeOptions(), "--nitro-root", awsRootPem().toString());

    assertThat(tee.toConfig(ON_CHAIN)).isEmpty();
  }
}
