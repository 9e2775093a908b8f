package io.vouch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationLevelTest {
  @Test
  void onlyTheEnclaveLevelRunsInAnEnclave() {
    assertThat(Arrays.stream(VerificationLevel.values()).filter(VerificationLevel::runsInEnclave))
        .containsExactly(VerificationLevel.TEE);
  }

  @Test
  void onlyTheProofLevelCarriesAProofAndNeedsAZkModel() {
    assertThat(Arrays.stream(VerificationLevel.values()).filter(VerificationLevel::carriesProof))
        .containsExactly(VerificationLevel.ZKML);
  }

  @Test
  void onlyTheLevelBackedByStakeAloneIsAuditedByReExecution() {
    assertThat(Arrays.stream(VerificationLevel.values()).filter(VerificationLevel::isAudited))
        .containsExactly(VerificationLevel.VANILLA);
  }

  @Test
  void codesBitsAndNamesRoundTrip() {
    for (VerificationLevel l : VerificationLevel.values()) {
      assertThat(VerificationLevel.fromCode(l.code())).isEqualTo(l);
      assertThat(VerificationLevel.parse(" " + l.name().toLowerCase() + " ")).isEqualTo(l);
      assertThat(l.bit()).isEqualTo(1 << l.code());
    }
    assertThat(VerificationLevel.mask(List.of(VerificationLevel.VANILLA, VerificationLevel.ZKML)))
        .isEqualTo(0b101);
  }

  @Test
  void anUnknownCodeOrNameSaysWhichAreKnown() {
    assertThatThrownBy(() -> VerificationLevel.fromCode(3)).hasMessageContaining("known: 0, 1, 2");
    assertThatThrownBy(() -> VerificationLevel.parse("gold"))
        .hasMessageContaining("use one of vanilla, tee, zkml");
  }
}
