package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VouchDeploymentJsonTest {
  static final VouchDeployment SAMPLE =
      new VouchDeployment(
          31337,
          Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3"),
          Address.fromHex("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512"),
          Address.fromHex("0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0"),
          4);

  @Test
  void aDeploymentSurvivesAJsonFileRoundTrip(@TempDir Path dir) {
    Path file = dir.resolve("devnet/deployment.json");
    SAMPLE.writeTo(file);
    assertThat(VouchDeployment.readFrom(file)).isEqualTo(SAMPLE);
  }

  @Test
  void aDeploymentWithItsCourtSurvivesTheRoundTripAndOlderJsonHasNoCourt() {
    VouchDeployment withCourt =
        new VouchDeployment(
            SAMPLE.chainId(),
            SAMPLE.nodeRegistry(),
            SAMPLE.modelRegistry(),
            SAMPLE.inferenceHub(),
            SAMPLE.deployedAtBlock(),
            Address.fromHex("0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9"));

    assertThat(VouchDeployment.fromJson(withCourt.toJson())).isEqualTo(withCourt);
    assertThat(VouchDeployment.fromJson(SAMPLE.toJson()).verificationCourt())
        .isEqualTo(Address.ZERO);
  }

  @Test
  void jsonWithoutAnAddressIsRefusedNamingTheField() {
    assertThatThrownBy(() -> VouchDeployment.fromJson("{\"chainId\": 1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nodeRegistry");
  }
}
