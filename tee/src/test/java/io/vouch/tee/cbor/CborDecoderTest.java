package io.vouch.tee.cbor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CborDecoderTest {
  private static final HexFormat HEX = HexFormat.of();

  private static CborItem decode(String hex) {
    return CborDecoder.decode(HEX.parseHex(hex));
  }

  // Integer examples from RFC 8949 Appendix A.
  @ParameterizedTest
  @CsvSource({
    "00, 0",
    "17, 23",
    "1818, 24",
    "1903e8, 1000",
    "1a000f4240, 1000000",
    "1bffffffffffffffff, 18446744073709551615",
    "20, -1",
    "3903e7, -1000",
    "3bffffffffffffffff, -18446744073709551616",
  })
  void decodesIntegersOfEverySize(String hex, String value) {
    assertThat(decode(hex))
        .isInstanceOfSatisfying(
            CborInteger.class, i -> assertThat(i.value()).isEqualTo(new BigInteger(value)));
  }

  @Test
  void decodesByteAndTextStrings() {
    assertThat(((CborByteString) decode("4401020304")).value()).containsExactly(1, 2, 3, 4);
    assertThat(((CborTextString) decode("6449455446")).value()).isEqualTo("IETF");
    assertThat(((CborTextString) decode("62c3bc")).value()).isEqualTo("\u00fc");
  }

  @Test
  void decodesIndefiniteLengthStringsAsTheConcatenationOfTheirChunks() {
    assertThat(((CborByteString) decode("5f42010243030405ff")).value())
        .containsExactly(1, 2, 3, 4, 5);
    assertThat(((CborTextString) decode("7f657374726561646d696e67ff")).value())
        .isEqualTo("streaming");
  }

  @Test
  void decodesDefiniteAndIndefiniteArraysAndMapsAlike() {
    CborArray definite = (CborArray) decode("8301820203820405");
    CborArray indefinite = (CborArray) decode("9f018202039f0405ffff");
    assertThat(definite.indefiniteLength()).isFalse();
    assertThat(indefinite.indefiniteLength()).isTrue();
    assertThat(CborEncoder.encode(indefinite)).isEqualTo(CborEncoder.encode(definite));

    CborMap map = (CborMap) decode("bf61610161629f0203ffff");
    assertThat(map.indefiniteLength()).isTrue();
    assertThat(map.get("a")).get().isInstanceOf(CborInteger.class);
    assertThat(((CborArray) map.get("b").orElseThrow()).size()).isEqualTo(2);
  }

  @Test
  void keepsMapEntriesInTheOrderRead() {
    CborMap map = (CborMap) decode("a3616303616101616202");
    assertThat(map.entries().stream().map(e -> ((CborTextString) e.key()).value()))
        .containsExactly("c", "a", "b");
  }

  @Test
  void decodesTagsAndSimpleValues() {
    CborTag tag = (CborTag) decode("d28440a0f6f5");
    assertThat(tag.tag()).isEqualTo(18);
    CborArray content = (CborArray) tag.content();
    assertThat(((CborSimple) content.get(2)).value()).isEqualTo(CborSimple.Value.NULL);
    assertThat(((CborSimple) content.get(3)).value()).isEqualTo(CborSimple.Value.TRUE);
    assertThat(((CborSimple) decode("f4")).value()).isEqualTo(CborSimple.Value.FALSE);
  }

  @Test
  void recordsTheExactBytesOfEveryNestedItem() {
    byte[] input = HEX.parseHex("a2616183010203616244deadbeef");
    CborMap map = (CborMap) CborDecoder.decode(input);
    CborItem array = map.get("a").orElseThrow();
    CborItem bytes = map.get("b").orElseThrow();
    assertThat(array.span().bytes()).isEqualTo(HEX.parseHex("83010203"));
    assertThat(array.span().offset()).isEqualTo(3);
    assertThat(bytes.span().bytes()).isEqualTo(HEX.parseHex("44deadbeef"));
    assertThat(map.span().bytes()).isEqualTo(input);
  }

  @Test
  void acceptsNonShortestHeadsBecauseSignaturesCoverTheBytesAsReceived() {
    CborByteString item = (CborByteString) decode("58020102");
    assertThat(item.value()).containsExactly(1, 2);
    assertThat(item.span().length()).isEqualTo(4);
  }

  @ParameterizedTest
  @CsvSource({
    "f93c00, floating-point",
    "fa47c35000, floating-point",
    "f7, undefined",
    "f820, one-byte simple value",
    "1c, reserved additional information",
    "a2010201 03, duplicate map key 1",
    "a2616101616102, duplicate map key \"a\"",
    "0000, trailing bytes",
    "1a0001, input ends early",
    "ff, outside an indefinite-length item",
    "5affffffff00, runs past the end",
    "9bffffffffffffffff00, elements but only",
    "6263c328, not valid UTF-8",
    "5f4101610aff, same type",
    "3f, cannot have an indefinite length",
    "bf6161ff, has no value before 'break'",
    "9f01, input ends early",
    "'', empty input",
  })
  void refusesMalformedOrUnsupportedInput(String hex, String message) {
    assertThatThrownBy(() -> decode(hex.replace(" ", "")))
        .isInstanceOf(CborException.class)
        .hasMessageContaining(message);
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    String deep = "81".repeat(CborDecoder.MAX_DEPTH + 1) + "00";
    assertThatThrownBy(() -> decode(deep))
        .isInstanceOf(CborException.class)
        .hasMessageContaining("nest deeper");
    assertThat(decode("81".repeat(CborDecoder.MAX_DEPTH) + "00")).isInstanceOf(CborArray.class);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void decodingAnEncodedRandomTreeGivesBackTheSameEncoding(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 200; i++) {
      byte[] encoded = CborEncoder.encode(RandomCbor.item(random, 0));
      assertThat(CborEncoder.encode(CborDecoder.decode(encoded))).isEqualTo(encoded);
      assertThat(CborDecoder.decode(encoded).span().length()).isEqualTo(encoded.length);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {7, 8, 9})
  void everyTruncationOfAValidEncodingIsRefusedAsCbor(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 50; i++) {
      byte[] encoded = CborEncoder.encode(RandomCbor.item(random, 0));
      // Every cut of short encodings, a seeded sample of cuts of long ones.
      int cuts = Math.min(encoded.length, 200);
      for (int c = 0; c < cuts; c++) {
        int cut = encoded.length <= 200 ? c : random.nextInt(encoded.length);
        byte[] truncated = java.util.Arrays.copyOf(encoded, cut);
        assertThatThrownBy(() -> CborDecoder.decode(truncated)).isInstanceOf(CborException.class);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void randomBytesEitherDecodeOrFailWithACborException(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[1 + random.nextInt(40)];
      random.nextBytes(junk);
      try {
        CborDecoder.decode(junk);
      } catch (CborException expected) {
        // the only failure allowed
      }
    }
  }

  /** Seeded generator of item trees in the subset the decoder supports. */
  static final class RandomCbor {
    static CborItem item(SplittableRandom random, int depth) {
      int kind = random.nextInt(depth >= 4 ? 4 : 7);
      return switch (kind) {
        case 0 ->
            new CborInteger(
                new BigInteger(random.nextInt(1, 65), new java.util.Random(random.nextLong()))
                    .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)),
                Span.NONE);
        case 1 -> {
          byte[] b = new byte[random.nextInt(0, 300)];
          random.nextBytes(b);
          yield CborByteString.of(b);
        }
        case 2 -> CborTextString.of("t\u00e9xt-" + random.nextInt(100000));
        case 3 ->
            List.of(CborSimple.NULL, CborSimple.TRUE, CborSimple.FALSE).get(random.nextInt(3));
        case 4 -> {
          CborItem[] items = new CborItem[random.nextInt(0, 30)];
          for (int i = 0; i < items.length; i++) {
            items[i] = item(random, depth + 1);
          }
          yield CborArray.of(items);
        }
        case 5 -> {
          CborMap.Builder map = CborMap.builder();
          int n = random.nextInt(0, 20);
          for (int i = 0; i < n; i++) {
            map.put("k" + i, item(random, depth + 1));
          }
          yield map.build();
        }
        default -> CborTag.of(random.nextInt(0, 100_000), item(random, depth + 1));
      };
    }
  }
}
