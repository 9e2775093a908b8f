package io.vouch.hub.cid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UnsignedVarintTest {

  /**
   * Examples from the multiformats unsigned-varint README
   * (github.com/multiformats/unsigned-varint).
   */
  static Stream<Arguments> specExamples() {
    return Stream.of(
        Arguments.of(1L, new int[] {0x01}),
        Arguments.of(127L, new int[] {0x7f}),
        Arguments.of(128L, new int[] {0x80, 0x01}),
        Arguments.of(255L, new int[] {0xff, 0x01}),
        Arguments.of(300L, new int[] {0xac, 0x02}),
        Arguments.of(16384L, new int[] {0x80, 0x80, 0x01}));
  }

  @ParameterizedTest
  @MethodSource("specExamples")
  void encodesTheSpecExamples(long value, int[] expected) {
    assertThat(UnsignedVarint.encode(value)).isEqualTo(bytes(expected));
  }

  @ParameterizedTest
  @MethodSource("specExamples")
  void decodesTheSpecExamples(long value, int[] encoded) {
    assertThat(UnsignedVarint.decode(bytes(encoded), 0))
        .isEqualTo(new UnsignedVarint.Decoded(value, encoded.length));
  }

  static IntStream seeds() {
    return IntStream.range(0, 200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void roundTripsRandomValuesOfEveryMagnitude(int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long value = random.nextLong(Long.MAX_VALUE) >>> random.nextInt(63);
    byte[] encoded = UnsignedVarint.encode(value);
    assertThat(encoded.length).isLessThanOrEqualTo(UnsignedVarint.MAX_BYTES);
    assertThat(UnsignedVarint.decode(encoded, 0))
        .isEqualTo(new UnsignedVarint.Decoded(value, encoded.length));
  }

  @Test
  void decodesAtAnOffset() {
    assertThat(UnsignedVarint.decode(bytes(new int[] {0x55, 0xac, 0x02, 0x12}), 1))
        .isEqualTo(new UnsignedVarint.Decoded(300, 2));
  }

  @Test
  void rejectsNonMinimalEncoding() {
    assertThatThrownBy(() -> UnsignedVarint.decode(bytes(new int[] {0x81, 0x00}), 0))
        .isInstanceOf(InvalidCidException.class)
        .hasMessageContaining("non-minimal");
  }

  @Test
  void rejectsTruncatedInput() {
    assertThatThrownBy(() -> UnsignedVarint.decode(bytes(new int[] {0x80}), 0))
        .isInstanceOf(InvalidCidException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void rejectsMoreThanNineBytes() {
    int[] tooLong = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    assertThatThrownBy(() -> UnsignedVarint.decode(bytes(tooLong), 0))
        .isInstanceOf(InvalidCidException.class)
        .hasMessageContaining("longer than 9");
  }

  @Test
  void rejectsNegativeValues() {
    assertThatThrownBy(() -> UnsignedVarint.encode(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] bytes(int[] values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
