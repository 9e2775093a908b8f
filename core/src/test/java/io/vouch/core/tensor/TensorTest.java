package io.vouch.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Hex;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TensorTest {

  static Stream<Long> seeds() {
    return IntStream.range(0, 40).mapToObj(i -> 0x5eedL * 31 + i);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void canonicalEncodingRoundTripsForEveryDtypeAndShape(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    DType dtype = DType.values()[rnd.nextInt(DType.values().length)];
    int rank = rnd.nextInt(4);
    int[] shape = new int[rank];
    for (int i = 0; i < rank; i++) {
      shape[i] = rnd.nextInt(5);
    }
    byte[] data = new byte[(int) Tensor.elementCount(shape) * dtype.size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) rnd.nextInt(256);
    }
    Tensor t = Tensor.of(dtype, shape, data);

    Tensor back = Tensor.fromCanonicalBytes(t.canonicalBytes());

    assertThat(back).isEqualTo(t);
    assertThat(back.hash()).isEqualTo(t.hash());
  }

  @Test
  void canonicalEncodingIsDtypeRankLittleEndianDimsThenLittleEndianData() {
    Tensor t = Tensor.ofInts(new int[] {1, 2}, 1, -2);

    assertThat(Hex.encode(t.canonicalBytes()))
        .isEqualTo("05" + "02" + "01000000" + "02000000" + "01000000" + "feffffff");
  }

  @Test
  void hashIsKeccak256OfTheHandWrittenCanonicalBytes() {
    Tensor t = Tensor.ofInts(new int[] {1, 2}, 1, -2);
    byte[] expectedEncoding =
        Hex.decode("05" + "02" + "01000000" + "02000000" + "01000000" + "feffffff");

    assertThat(t.hash().toArray()).isEqualTo(org.web3j.crypto.Hash.sha3(expectedEncoding));
    assertThat(io.vouch.core.crypto.Keccak.hash(new byte[0]).toHex())
        .isEqualTo("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void elementsReadBackAsTheValuesTheyWereBuiltFrom(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] f = {(float) rnd.nextDouble(-1e6, 1e6), Float.NaN, -0.0f};
    long[] l = {rnd.nextLong(), Long.MIN_VALUE, -1};
    int[] i = {rnd.nextInt(), Integer.MIN_VALUE, -1};
    double[] d = {rnd.nextDouble(), Double.NEGATIVE_INFINITY, 1e-300};
    byte[] b = {(byte) rnd.nextInt(256), -128, 127};
    for (int k = 0; k < 3; k++) {
      // bit patterns, so that NaN and -0.0 are checked too
      assertThat(Double.doubleToRawLongBits(Tensor.ofFloats(new int[] {3}, f).getAsDouble(k)))
          .isEqualTo(Double.doubleToRawLongBits(f[k]));
      assertThat(Tensor.ofLongs(new int[] {3}, l).getAsDouble(k)).isEqualTo((double) l[k]);
      assertThat(Tensor.ofInts(new int[] {3}, i).getAsDouble(k)).isEqualTo((double) i[k]);
      assertThat(Double.doubleToRawLongBits(Tensor.ofDoubles(new int[] {3}, d).getAsDouble(k)))
          .isEqualTo(Double.doubleToRawLongBits(d[k]));
      assertThat(Tensor.ofInt8(new int[] {3}, b).getAsDouble(k)).isEqualTo((double) b[k]);
      assertThat(Tensor.of(DType.UINT8, new int[] {3}, b).getAsDouble(k)).isEqualTo(b[k] & 0xff);
    }
  }

  @Test
  void differentShapesOfTheSameDataHashDifferently() {
    Tensor a = Tensor.ofFloats(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
    Tensor b = Tensor.ofFloats(new int[] {3, 2}, 1, 2, 3, 4, 5, 6);

    assertThat(a.hash()).isNotEqualTo(b.hash());
  }

  @Test
  void shapeAndValueCountMustAgree() {
    assertThatThrownBy(() -> Tensor.ofFloats(new int[] {2, 2}, 1, 2, 3))
        .isInstanceOf(TensorFormatException.class)
        .hasMessageContaining("holds 4 elements, got 3 values");
  }

  @Test
  void truncatedEncodingIsRejectedWithTheExpectedLength() {
    byte[] enc = Tensor.ofFloats(new int[] {3}, 1, 2, 3).canonicalBytes();
    byte[] cut = java.util.Arrays.copyOf(enc, enc.length - 1);

    assertThatThrownBy(() -> Tensor.fromCanonicalBytes(cut))
        .isInstanceOf(TensorFormatException.class)
        .hasMessageContaining("must carry 12 data bytes, has 11");
  }

  @Test
  void unknownDtypeCodeIsRejected() {
    assertThatThrownBy(() -> Tensor.fromCanonicalBytes(new byte[] {9, 0}))
        .isInstanceOf(TensorFormatException.class)
        .hasMessageContaining("unknown dtype code 9");
  }

  @Test
  void firstNonFiniteNamesTheIndexOfNaN() {
    Tensor t = Tensor.ofFloats(new int[] {4}, 0, 1, Float.NaN, 3);

    assertThat(t.firstNonFinite()).isEqualTo(2);
    assertThat(Tensor.ofFloats(new int[] {2}, 0, 1).firstNonFinite()).isEqualTo(-1);
  }

  @Test
  void argmaxReturnsTheFirstLargestElement() {
    assertThat(Tensor.ofFloats(new int[] {1, 4}, 0.1f, 3f, 3f, -1f).argmax()).isEqualTo(1);
  }
}
