package io.vouch.node.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.error.VouchException;
import io.vouch.evidence.TeeTrust;
import io.vouch.tee.dev.DevRootAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A validator must hold the root its deployment accepts enclave keys under: the AWS Nitro root on a
 * deployment without development attestation, the development root on one with it.
 */
class ValidatorAnchorsTest {
  static final Address REGISTRY = Address.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  static TeeTrust none;
  static TeeTrust dev;
  static TeeTrust aws;
  static TeeTrust both;

  @BeforeAll
  static void roots() {
    Path pem =
        Path.of(System.getProperty("vouch.shared", "../../shared"))
            .resolve("fixtures/tee/roots/aws-nitro-root.pem");
    Assumptions.assumeTrue(Files.isRegularFile(pem), "the AWS Nitro root fixture is at " + pem);
    none = TeeTrust.attested();
    dev =
        TeeTrust.attested()
            .withDevelopmentRoot(DevRootAuthority.generate(Instant.now()).rootCertificate());
    aws = TeeTrust.attested().withAwsRoot(pem);
    both = dev.withAwsRoot(pem);
  }

  @Test
  void aProductionDeploymentNeedsTheAwsNitroRoot() {
    for (TeeTrust without : new TeeTrust[] {none, dev}) {
      assertThatThrownBy(() -> ValidatorAnchors.check(false, without, REGISTRY))
          .isInstanceOf(VouchException.class)
          .hasMessageContaining("NodeRegistry " + REGISTRY)
          .hasMessageContaining("accepts enclave keys attested under the AWS Nitro root only")
          .hasMessageContaining("--nitro-root PEM");
    }
    assertThat(ValidatorAnchors.check(false, aws, REGISTRY)).isEmpty();
    assertThat(ValidatorAnchors.check(false, both, REGISTRY).orElseThrow())
        .contains("development root given (--tee-dev-root) is not used");
  }

  @Test
  void aDeploymentThatAllowsDevelopmentAttestationNeedsTheDevelopmentRoot() {
    for (TeeTrust without : new TeeTrust[] {none, aws}) {
      assertThatThrownBy(() -> ValidatorAnchors.check(true, without, REGISTRY))
          .isInstanceOf(VouchException.class)
          .hasMessageContaining("allows development attestation")
          .hasMessageContaining("--tee-dev-root FILE");
    }
    assertThat(ValidatorAnchors.check(true, both, REGISTRY)).isEmpty();
    assertThat(ValidatorAnchors.check(true, dev, REGISTRY).orElseThrow())
        .contains("casts no vote on enclave keys attested under it");
  }
}
