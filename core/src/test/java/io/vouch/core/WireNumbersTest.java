package io.vouch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireNumbersTest {
  static final BigInteger UINT256_MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  @Test
  void theLargestUint256IsAccepted() {
    assertThat(UINT256_MAX.toString()).hasSize(WireNumbers.UINT256_DIGITS);
    assertThat(WireNumbers.uint256(UINT256_MAX.toString(), "x")).isEqualTo(UINT256_MAX);
    assertThat(WireNumbers.uint256("0", "x")).isZero();
  }

  @Test
  void oneAboveTheLargestUint256IsRefused() {
    assertThatThrownBy(
            () -> WireNumbers.uint256(UINT256_MAX.add(BigInteger.ONE).toString(), "amount"))
        .hasMessageContaining("amount is above 2^256");
  }

  @Test
  void aMegabyteOfDigitsIsRefusedByItsLengthWithoutEchoingIt() {
    String digits = "9".repeat(1 << 20);
    assertThatThrownBy(() -> WireNumbers.uint256(digits, "amount"))
        .hasMessageContaining("1048576 characters")
        .hasMessageContaining("at most 78 decimal digits")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
  }

  @ParameterizedTest
  @ValueSource(strings = {"+1", "-1", " 1", "1 ", "1e3", "0x1", "１", "1_000"})
  void anythingButPlainDigitsIsRefused(String text) {
    assertThatThrownBy(() -> WireNumbers.uint256(text, "amount"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amount");
  }

  @Test
  void longsAreCheckedTheSameWay() {
    assertThat(WireNumbers.uint63(Long.toString(Long.MAX_VALUE), "n")).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> WireNumbers.uint63("9223372036854775808", "n"))
        .hasMessageContaining("above 2^63");
    assertThatThrownBy(() -> WireNumbers.uint63("1".repeat(100), "n"))
        .hasMessageContaining("100 characters");
    assertThatThrownBy(() -> WireNumbers.uint63("-1", "n")).hasMessageContaining("digits only");
  }
}
