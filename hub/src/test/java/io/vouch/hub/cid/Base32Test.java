package io.vouch.hub.cid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class Base32Test {

  @Test
  void encodesTheMultibaseSpecVector() {
    // multiformats/multibase tests/basic.csv: base32, "yes mani !" → "bpfsxgidnmfxgsibb".
    assertThat("b" + Base32.encode("yes mani !".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("bpfsxgidnmfxgsibb");
  }

  /** RFC 4648 section 10 test vectors, lower-cased and without padding. */
  @ParameterizedTest
  @CsvSource({
    "'', ''",
    "f, my",
    "fo, mzxq",
    "foo, mzxw6",
    "foob, mzxw6yq",
    "fooba, mzxw6ytb",
    "foobar, mzxw6ytboi"
  })
  void encodesTheRfc4648Vectors(String input, String expected) {
    assertThat(Base32.encode(input.getBytes(StandardCharsets.US_ASCII))).isEqualTo(expected);
    assertThat(Base32.decode(expected)).isEqualTo(input.getBytes(StandardCharsets.US_ASCII));
  }

  static IntStream seeds() {
    return IntStream.range(0, 100);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void decodeInvertsEncode(int seed) {
    byte[] bytes = CidTest.randomBytes(new SplittableRandom(seed), 0, 200);
    assertThat(Base32.decode(Base32.encode(bytes))).isEqualTo(bytes);
  }

  @Test
  void rejectsNonZeroTrailingBits() {
    // "my" is 'f'; "mz" carries a set bit past the last whole byte.
    assertThatThrownBy(() -> Base32.decode("mz"))
        .isInstanceOf(InvalidCidException.class)
        .hasMessageContaining("trailing bits");
  }

  @Test
  void rejectsImpossibleLengths() {
    assertThatThrownBy(() -> Base32.decode("mzx"))
        .isInstanceOf(InvalidCidException.class)
        .hasMessageContaining("length 3");
  }

  @Test
  void rejectsPadding() {
    assertThatThrownBy(() -> Base32.decode("my======")).isInstanceOf(InvalidCidException.class);
  }
}
