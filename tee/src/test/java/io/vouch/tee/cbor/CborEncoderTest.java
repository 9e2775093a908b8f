package io.vouch.tee.cbor;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CborEncoderTest {
  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest
  @CsvSource({
    "0, 00",
    "23, 17",
    "24, 1818",
    "255, 18ff",
    "256, 190100",
    "65535, 19ffff",
    "65536, 1a00010000",
    "4294967295, 1affffffff",
    "4294967296, 1b0000000100000000",
    "18446744073709551615, 1bffffffffffffffff",
    "-1, 20",
    "-24, 37",
    "-25, 3818",
    "-35, 3822",
    "-18446744073709551616, 3bffffffffffffffff",
  })
  void writesEveryIntegerHeadInItsShortestForm(String value, String hex) {
    assertThat(HEX.formatHex(CborEncoder.encode(new CborInteger(new BigInteger(value), Span.NONE))))
        .isEqualTo(hex);
  }

  @Test
  void writesStringLengthsInTheirShortestForm() {
    assertThat(CborEncoder.encode(CborByteString.of(new byte[23]))[0]).isEqualTo((byte) 0x57);
    assertThat(HEX.formatHex(CborEncoder.encode(CborByteString.of(new byte[24])), 0, 2))
        .isEqualTo("5818");
    assertThat(HEX.formatHex(CborEncoder.encode(CborByteString.of(new byte[1000])), 0, 3))
        .isEqualTo("5903e8");
    assertThat(HEX.formatHex(CborEncoder.encode(CborTextString.of("\u00fc")))).isEqualTo("62c3bc");
  }

  @Test
  void writesMapsDefiniteAndInTheOrderGiven() {
    CborMap map = CborMap.builder().put("b", CborInteger.of(1)).put(1, CborInteger.of(-35)).build();
    assertThat(HEX.formatHex(CborEncoder.encode(map))).isEqualTo("a2616201013822");
  }

  @Test
  void writesTagsAndSimpleValues() {
    assertThat(
            HEX.formatHex(
                CborEncoder.encode(
                    CborTag.of(
                        18, CborArray.of(CborSimple.NULL, CborSimple.TRUE, CborSimple.FALSE)))))
        .isEqualTo("d283f6f5f4");
  }
}
