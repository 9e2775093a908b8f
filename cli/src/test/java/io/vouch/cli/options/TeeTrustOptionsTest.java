package io.vouch.cli.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.evidence.TeeTrust;
import io.vouch.tee.dev.DevRootAuthority;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TeeTrustOptionsTest {
  @TempDir Path dir;

  @CommandLine.Command(name = "probe")
  static final class Probe {
    @CommandLine.Mixin TeeTrustOptions tee = new TeeTrustOptions();
  }

  static TeeTrustOptions parse(String... args) {
    Probe p = new Probe();
    new CommandLine(p).parseArgs(args);
    return p.tee;
  }

  @Test
  void byDefaultTeeResultsNeedAnAttestationAndAnAnchor() {
    TeeTrust trust = parse().trust(Optional.empty());

    assertThat(trust.verifyAttestation()).isTrue();
    assertThat(trust.anchorsFor(true)).isEmpty();
  }

  @Test
  void aDevnetFolderContributesItsDevelopmentRoot() {
    DevRootAuthority.generate(Instant.now()).writeTo(dir.resolve("tee-dev-root.pem"));

    TeeTrust trust = parse().trust(Optional.of(dir));

    assertThat(trust.developmentRoot()).isPresent();
    assertThat(trust.anchorsFor(false)).as("not on a production deployment").isEmpty();
    assertThat(trust.anchorsFor(true)).isPresent();
  }

  @Test
  void aDevnetFolderWithoutTeeContributesNothing() {
    assertThat(parse().trust(Optional.of(dir)).developmentRoot()).isEmpty();
  }

  @Test
  void chainOnlyIsAnExplicitOptOut() {
    assertThat(parse("--tee-trust", "chain-only").trust(Optional.empty()).verifyAttestation())
        .isFalse();
  }

  @Test
  void anUnknownTrustModeIsRefused() {
    assertThatThrownBy(() -> parse("--tee-trust", "trust-me").trust(Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attested or chain-only");
  }

  @Test
  void aNitroRootThatIsNotThePinnedRootIsRefused() throws Exception {
    Path notAws = dir.resolve("not-aws.pem");
    java.nio.file.Files.writeString(notAws, DevRootAuthority.generate(Instant.now()).rootPem());

    assertThatThrownBy(() -> parse("--nitro-root", notAws.toString()).trust(Optional.empty()))
        .hasMessageContaining(io.vouch.tee.nitro.AwsNitroRoot.SHA256_PIN);
  }
}
