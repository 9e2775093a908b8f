package io.vouch.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.tee.dev.DevRootAuthority;
import io.vouch.tee.nitro.TrustAnchors;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TeeTrustTest {
  static DevRootAuthority devRoot;

  @BeforeAll
  static void makeRoot() {
    devRoot = DevRootAuthority.generate(Instant.parse("2026-05-01T08:00:00Z"));
  }

  @Test
  void theDefaultChecksTheAttestationButHasNoAnchorUntilOneIsConfigured() {
    TeeTrust trust = TeeTrust.attested();

    assertThat(trust.verifyAttestation()).isTrue();
    assertThat(trust.anchorsFor(true)).isEmpty();
    assertThat(trust.anchorsFor(false)).isEmpty();
  }

  @Test
  void aDevelopmentRootIsTrustedOnlyWhereTheDeploymentAllowsDevelopmentAttestation() {
    TeeTrust trust = TeeTrust.attested().withDevelopmentRoot(devRoot.rootCertificate());

    assertThat(trust.anchorsFor(false)).as("a production deployment").isEmpty();
    assertThat(trust.anchorsFor(true))
        .hasValueSatisfying(a -> assertThat(a.allowsDevelopmentRoot()).isTrue());
  }

  @Test
  void explicitAnchorsWithoutTheDevelopmentFlagDoNotTrustTheDevelopmentRoot() {
    TeeTrust trust =
        TeeTrust.attested(
            TrustAnchors.builder()
                .developmentRoot(devRoot.rootCertificate())
                .allowDevelopmentRoot(false)
                .build());

    assertThat(trust.developmentRoot()).isEmpty();
    assertThat(trust.anchorsFor(true)).isEmpty();
  }

  @Test
  void chainOnlyIsTheExplicitOptOut() {
    assertThat(TeeTrust.chainOnly().verifyAttestation()).isFalse();
    assertThat(TeeTrust.chainOnly().describe()).isEqualTo("chainOnly");
  }
}
