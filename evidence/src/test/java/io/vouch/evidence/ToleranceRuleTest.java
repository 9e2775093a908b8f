package io.vouch.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.core.Bytes32;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ToleranceRuleTest {
  static final Bytes32 DEFAULT = Bytes32.fromHex("0x0138d1b717" + "00".repeat(27));

  static NamedTensors out(float... v) {
    return NamedTensors.lone(Tensor.ofFloats(new int[] {1, v.length}, v));
  }

  @Test
  void theRegistrysDefaultIsSameArgmaxWithinOneTenThousandth() {
    ToleranceRule r = ToleranceRule.decode(DEFAULT).orElseThrow();
    assertThat(r.kind()).isEqualTo(ToleranceRule.Kind.ARGMAX_AND_MAX_ABS);
    assertThat(r.epsilon()).isEqualTo(1e-4f);
  }

  @Test
  void lastBitDifferencesPassAndLargerOnesFail() {
    ToleranceRule r = ToleranceRule.decode(DEFAULT).orElseThrow();
    assertThat(r.mismatch(out(0.25f, 3f, -1f), out(0.25001f, 3f, -1f))).isEmpty();
    assertThat(r.mismatch(out(0.25f, 3f, -1f), out(0.26f, 3f, -1f)))
        .get()
        .asString()
        .contains("exceeds ε");
  }

  @Test
  void anotherArgmaxFailsEvenWithinEpsilon() {
    ToleranceRule r = new ToleranceRule(ToleranceRule.Kind.ARGMAX_AND_MAX_ABS, 1f);
    assertThat(r.mismatch(out(1f, 1.2f), out(1.3f, 1.2f))).get().asString().contains("argmax");
  }

  @Test
  void anotherShapeOrDtypeFails() {
    ToleranceRule r = ToleranceRule.decode(DEFAULT).orElseThrow();
    assertThat(r.mismatch(out(1f, 2f), out(1f, 2f, 3f))).isPresent();
    assertThat(r.mismatch(out(1f, 2f), NamedTensors.lone(Tensor.ofLongs(new int[] {1, 2}, 1, 2))))
        .isPresent();
  }

  @Test
  void exactComparesTheCanonicalBytes() {
    ToleranceRule r = ToleranceRule.decode(Bytes32.ZERO).orElseThrow();
    assertThat(r.kind()).isEqualTo(ToleranceRule.Kind.EXACT);
    assertThat(r.mismatch(out(1f, 2f), out(1f, 2f))).isEmpty();
    assertThat(r.mismatch(out(1f, 2f), out(1f, 2.0000002f))).isPresent();
  }

  @Test
  void anUnknownRuleIsNotGuessed() {
    assertThat(ToleranceRule.decode(Bytes32.fromHex("0x07" + "00".repeat(31)))).isEmpty();
    assertThat(ToleranceRule.decode(Bytes32.fromHex("0x0138d1b717" + "00".repeat(26) + "01")))
        .isEmpty();
  }

  @Test
  void theDefaultEncodesAsTheRegistrysConstant() {
    assertThat(ToleranceRule.DEFAULT.encode()).isEqualTo(DEFAULT);
    assertThat(ToleranceRule.EXACT.encode()).isEqualTo(Bytes32.ZERO);
  }

  @Test
  void whatAUserWritesRoundTripsThroughTheRegistrysEncoding() {
    for (String text : new String[] {"exact", "argmax:1.0E-4", "argmax:0.5", "argmax:0.0"}) {
      ToleranceRule r = ToleranceRule.parse(text);
      assertThat(r.text()).isEqualTo(text);
      assertThat(ToleranceRule.decode(r.encode())).contains(r);
    }
    assertThat(ToleranceRule.parse(" ARGMAX:1e-4 ")).isEqualTo(ToleranceRule.DEFAULT);
  }

  @Test
  void aToleranceThatIsNotARuleIsRefusedNamingTheForms() {
    for (String bad :
        new String[] {
          "",
          "loose",
          "argmax",
          "argmax:",
          "argmax:-1",
          "argmax:NaN",
          "argmax:1e99",
          "argmax:1f",
          "argmax:" + "1".repeat(40)
        }) {
      org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
          .isThrownBy(() -> ToleranceRule.parse(bad))
          .withMessageContaining("argmax:");
    }
  }
}
