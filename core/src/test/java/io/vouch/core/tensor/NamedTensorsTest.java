package io.vouch.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamedTensorsTest {
  static final Tensor X = Tensor.ofFloats(new int[] {1, 2}, 1f, 2f);
  static final Tensor STATE = Tensor.ofFloats(new int[] {2, 1, 3}, 0f, 0f, 0f, 1f, 1f, 1f);
  static final Tensor SR = Tensor.ofLongs(new int[] {}, 16_000L);

  @Test
  void oneTensorEncodesAndHashesExactlyAsTheTensorItself() {
    NamedTensors one = NamedTensors.single("input", X);
    assertThat(one.canonicalBytes()).isEqualTo(X.canonicalBytes());
    assertThat(one.hash()).isEqualTo(X.hash());
    assertThat(NamedTensors.decode(X.canonicalBytes(), "input")).isEqualTo(one);
  }

  @Test
  void severalTensorsEncodeSortedByNameWhateverTheInsertionOrder() {
    Map<String, Tensor> a = new LinkedHashMap<>();
    a.put("state", STATE);
    a.put("input", X);
    a.put("sr", SR);
    Map<String, Tensor> b = new LinkedHashMap<>();
    b.put("sr", SR);
    b.put("input", X);
    b.put("state", STATE);

    byte[] encoded = NamedTensors.of(a).canonicalBytes();
    assertThat(NamedTensors.of(b).canonicalBytes()).isEqualTo(encoded);
    assertThat(encoded[0] & 0xff).isEqualTo(NamedTensors.BUNDLE_MARKER);
    assertThat(encoded[1]).isEqualTo((byte) 3);
    assertThat(NamedTensors.decode(encoded, "unused").names())
        .containsExactly("input", "sr", "state");
    assertThat(NamedTensors.decode(encoded, "unused")).isEqualTo(NamedTensors.of(a));
  }

  @Test
  void theBundleLayoutIsPinnedByHand() {
    Tensor one = Tensor.ofInt8(new int[] {1}, (byte) 7);
    Tensor two = Tensor.ofInt8(new int[] {1}, (byte) 9);
    byte[] expected = {
      (byte) 0xF0,
      2, // marker, count
      1,
      'a',
      7,
      0,
      0,
      0,
      3,
      1,
      1,
      0,
      0,
      0,
      7, // "a": int8 [1] = 7
      1,
      'b',
      7,
      0,
      0,
      0,
      3,
      1,
      1,
      0,
      0,
      0,
      9 // "b": int8 [1] = 9
    };
    assertThat(NamedTensors.of(Map.of("b", two, "a", one)).canonicalBytes()).isEqualTo(expected);
  }

  @Test
  void aBundleThatIsNotCanonicalIsRefused() {
    byte[] good = NamedTensors.of(Map.of("a", X, "b", SR)).canonicalBytes();
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> NamedTensors.decode(trailing, "x"))
        .hasMessageContaining("after the last");

    byte[] swapped = NamedTensors.of(Map.of("a", X, "b", SR)).canonicalBytes();
    int bName = 2 + 1 + 1 + 4 + X.canonicalBytes().length + 1; // position of "b"
    swapped[3] = 'c'; // first name becomes "c" > "b"
    assertThat(swapped[bName]).isEqualTo((byte) 'b');
    assertThatThrownBy(() -> NamedTensors.decode(swapped, "x")).hasMessageContaining("ascending");

    byte[] one = {(byte) 0xF0, 1, 1, 'a', 3, 0, 0, 0, 3, 0, 5};
    assertThatThrownBy(() -> NamedTensors.decode(one, "x")).hasMessageContaining("2 to 255");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void randomBundlesRoundTripAndEveryTruncationIsRefused(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    int n = 2 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      int len = 1 + r.nextInt(4);
      float[] v = new float[len];
      for (int j = 0; j < len; j++) {
        v[j] = (float) r.nextDouble();
      }
      m.put("in_" + r.nextInt(1000) + "_" + i, Tensor.ofFloats(new int[] {1, len}, v));
    }
    NamedTensors t = NamedTensors.of(m);
    byte[] encoded = t.canonicalBytes();
    assertThat(NamedTensors.decode(encoded, "x")).isEqualTo(t);
    for (int cut = 1; cut < encoded.length; cut++) {
      byte[] part = Arrays.copyOf(encoded, cut);
      assertThatThrownBy(() -> NamedTensors.decode(part, "x"))
          .isInstanceOf(TensorFormatException.class);
    }
  }

  @Test
  void askingForTheOnlyTensorOfSeveralNamesThem() {
    NamedTensors t = NamedTensors.of(Map.of("input", X, "state", STATE));
    assertThatThrownBy(t::only).hasMessageContaining("[input, state]");
    assertThatThrownBy(() -> t.get("sr")).hasMessageContaining("no tensor named 'sr'");
  }
}
