package io.vouch.cli.options;

import static io.vouch.cli.options.OptionGroupProbe.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RequirementsOptionsTest {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void byDefaultAnyLevelAtMostOneHundredthOfAnEtherWithinTheTimeout() {
    Requirements r = parse(new RequirementsOptions()).toConfig(TIMEOUT);

    assertThat(r)
        .isEqualTo(
            new Requirements(
                VerificationLevel.VANILLA, TIMEOUT, BigInteger.TEN.pow(16), Optional.empty()));
  }

  @Test
  void aLevelIsAFloorAndFeeAndLatencyAreTaken() {
    Requirements r =
        parse(
                new RequirementsOptions(),
                "--level",
                "tee",
                "--max-fee-wei",
                "2000",
                "--max-latency",
                "500ms")
            .toConfig(TIMEOUT);

    assertThat(r.minLevel()).isEqualTo(VerificationLevel.TEE);
    assertThat(r.maxFeeWei()).isEqualTo(BigInteger.valueOf(2000));
    assertThat(r.maxLatency()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void autoInAnyCaseIsNoFloor() {
    assertThat(parse(new RequirementsOptions(), "--level", " AUTO ").toConfig(TIMEOUT).minLevel())
        .isEqualTo(VerificationLevel.VANILLA);
  }

  @Test
  void theyCanComeFromTheEnvironment() {
    Requirements r =
        parse(
                new RequirementsOptions(),
                Map.of("VOUCH_LEVEL", "zkml", "VOUCH_MAX_LATENCY", "2s", "VOUCH_MAX_FEE_WEI", "5"))
            .toConfig(TIMEOUT);

    assertThat(r.minLevel()).isEqualTo(VerificationLevel.ZKML);
    assertThat(r.maxLatency()).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.maxFeeWei()).isEqualTo(BigInteger.valueOf(5));
  }

  @Test
  void anUnknownLevelIsBadUsageListingTheLevels() {
    RequirementsOptions o = parse(new RequirementsOptions(), "--level", "gold");

    assertThatThrownBy(() -> o.toConfig(TIMEOUT))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("--level: unknown level 'gold'; use one of auto, vanilla, tee, zkml");
  }

  @Test
  void aLatencyThatIsNotPositiveIsBadUsage() {
    RequirementsOptions o = parse(new RequirementsOptions(), "--max-latency", "0s");

    assertThatThrownBy(() -> o.toConfig(TIMEOUT))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("--max-latency must be positive, got PT0S");
  }

  @Test
  void withoutMaxLatencyATimeoutThatIsNotPositiveIsRefusedAsTheLatency() {
    assertThatThrownBy(() -> parse(new RequirementsOptions()).toConfig(Duration.ZERO))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("--max-latency must be positive, got PT0S");
  }

  @Test
  void aNegativeFeeIsRefused() {
    RequirementsOptions o = parse(new RequirementsOptions(), "--max-fee-wei", "-1");

    assertThatThrownBy(() -> o.toConfig(TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFeeWei must not be negative, got -1");
  }

  @Test
  void aLatencyThatIsNotADurationIsBadUsage() {
    assertThatThrownBy(() -> parse(new RequirementsOptions(), "--max-latency", "soon"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("'soon' is not a duration");
  }
}
