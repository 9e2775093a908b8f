package io.vouch.tee.nitro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.tee.SharedFixtures;
import io.vouch.tee.dev.DevRootAuthority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrustAnchorsTest {

  @Test
  void theAwsRootLoadsFromAPemFileWhenItMatchesThePin() {
    AwsNitroRoot root = AwsNitroRoot.load(SharedFixtures.awsRootPem());
    assertThat(Certificates.sha256Hex(root.certificate())).isEqualTo(AwsNitroRoot.SHA256_PIN);
    assertThat(TrustAnchors.production(root).isProduction()).isTrue();
  }

  @Test
  void anotherCertificateOfferedAsTheAwsRootIsRefusedNamingThePin() {
    String pem = DevRootAuthority.generate(Instant.now()).rootPem();
    assertThatThrownBy(() -> AwsNitroRoot.fromBytes(pem.getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(TrustAnchorException.class)
        .hasMessageContaining(AwsNitroRoot.SHA256_PIN);
  }

  @Test
  void anotherGenuineRootFromTheFixturesIsRefusedAsTheAwsRoot() {
    Path nvidia = SharedFixtures.tee().resolve("roots/nvidia-device-identity-ca.pem");
    assertThatThrownBy(() -> AwsNitroRoot.load(nvidia))
        .isInstanceOf(TrustAnchorException.class)
        .hasMessageContaining("pinned root");
  }

  @Test
  void aMissingRootFileSaysWhichFile() {
    Path missing = Path.of("no-such-root.pem");
    assertThatThrownBy(() -> AwsNitroRoot.load(missing))
        .isInstanceOf(TrustAnchorException.class)
        .hasMessageContaining("no-such-root.pem");
  }

  @Test
  void bytesThatAreNotACertificateAreRefused() {
    assertThatThrownBy(() -> AwsNitroRoot.fromBytes("hello".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(TrustAnchorException.class)
        .hasMessageContaining("not a PEM or DER X.509 certificate");
  }

  @Test
  void theDevelopmentFlagWithoutADevelopmentRootIsAConfigurationError() {
    assertThatThrownBy(() -> TrustAnchors.builder().allowDevelopmentRoot(true).build())
        .isInstanceOf(TrustAnchorException.class)
        .hasMessageContaining("no trust anchor");
    AwsNitroRoot aws = AwsNitroRoot.load(SharedFixtures.awsRootPem());
    assertThatThrownBy(() -> TrustAnchors.builder().awsRoot(aws).allowDevelopmentRoot(true).build())
        .isInstanceOf(TrustAnchorException.class)
        .hasMessageContaining("no development root");
  }

  @Test
  void aDevelopmentRootWithoutTheFlagLeavesTheProfileProduction() {
    TrustAnchors anchors =
        TrustAnchors.builder()
            .developmentRoot(DevRootAuthority.generate(Instant.now()).rootCertificate())
            .build();
    assertThat(anchors.isProduction()).isTrue();
    assertThat(anchors.allowsDevelopmentRoot()).isFalse();
  }
}
