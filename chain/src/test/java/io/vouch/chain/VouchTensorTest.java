package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vouch.chain.contracts.testing.VouchTensorProbe;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.GasLimits;
import io.vouch.core.Hex;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.core.tensor.TensorFormatException;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The consumer kit's tensor library ({@code contracts/kit/src/VouchTensor.sol}) against core's
 * {@link Tensor} and {@link NamedTensors}, the encodings every other part of Vouch hashes: what
 * Solidity writes, Java reads byte for byte, what Java writes, Solidity reads, and what Java
 * refuses as malformed, Solidity refuses too (with a custom error that names the fault).
 */
class VouchTensorTest extends DevChainTest {
  static VouchTensorProbe probe;

  @BeforeAll
  static void deployProbe() throws Exception {
    probe =
        VouchTensorProbe.deploy(
                anvil.web3j(), KitArtifacts.decodingKitErrors(sender(0)), new GasLimits(8_000_000))
            .send();
    takeSnapshotOfDeployedState();
  }

  // ------------------------------------------------------------------------------ writing

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void theEncodersWriteJavasCanonicalBytesForRandomTensors(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    int[] shape = randomShape(r);
    int n = (int) Tensor.elementCount(shape);

    int[] ints = r.ints(n).toArray();
    long[] longs = r.longs(n).toArray();
    Tensor floats = Tensor.of(DType.FLOAT32, shape, randomBytes(r, 4 * n)); // any bit pattern

    assertThat(probe.encodeInt32(big(shape), big(ints)).send())
        .isEqualTo(Tensor.ofInts(shape, ints).canonicalBytes());
    assertThat(probe.encodeInt64(big(shape), big(longs)).send())
        .isEqualTo(Tensor.ofLongs(shape, longs).canonicalBytes());
    assertThat(probe.encodeFloat32(big(shape), unsigned(floatBits(floats))).send())
        .isEqualTo(floats.canonicalBytes());
  }

  @Test
  void anEncoderRefusesValuesThatDoNotFillTheShape() {
    assertReverts(
        "TensorShapeMismatch",
        () -> probe.encodeInt32(big(new int[] {2, 3}), big(new int[] {1, 2, 3})).send());
    assertReverts(
        "TensorRankTooLarge", () -> probe.encodeInt32(big(new int[9]), big(new int[0])).send());
  }

  @ParameterizedTest
  @ValueSource(longs = {21, 22, 23, 24, 25})
  void theBundleEncoderSortsNamesAsNamedTensorsDoes(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    NamedTensors bundle = randomBundle(r, 2 + r.nextInt(4));
    List<String> names = new ArrayList<>(bundle.names());
    java.util.Collections.shuffle(names, new java.util.Random(seed));
    List<byte[]> tensors = names.stream().map(k -> bundle.get(k).canonicalBytes()).toList();

    assertThat(probe.encodeBundle(names, tensors).send()).isEqualTo(bundle.canonicalBytes());
  }

  @Test
  void aBundleOfOneTensorIsThatTensorsOwnEncoding() throws Exception {
    Tensor t = Tensor.ofInts(new int[] {2}, 7, -7);
    assertThat(probe.encodeBundle(List.of("only"), List.of(t.canonicalBytes())).send())
        .isEqualTo(NamedTensors.single("only", t).canonicalBytes());
  }

  @Test
  void theBundleEncoderRefusesDuplicateNamesAndMalformedTensors() {
    byte[] t = Tensor.ofInts(new int[] {1}, 1).canonicalBytes();
    assertReverts(
        "BundleDuplicateName", () -> probe.encodeBundle(List.of("a", "a"), List.of(t, t)).send());
    assertReverts(
        "TensorLengthMismatch",
        () ->
            probe
                .encodeBundle(List.of("a", "b"), List.of(t, Arrays.copyOf(t, t.length - 1)))
                .send());
    assertReverts(
        "BundleBadName", () -> probe.encodeBundle(List.of("", "b"), List.of(t, t)).send());
  }

  // ------------------------------------------------------------------------------ reading

  @ParameterizedTest
  @ValueSource(longs = {31, 32, 33, 34, 35, 36, 37, 38, 39, 40})
  void theDecoderReadsBackJavaEncodedTensors(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor t = randomTensor(r, DType.values()[(int) (seed % DType.values().length)]);
    byte[] bytes = t.canonicalBytes();

    var decoded = probe.decode(bytes).send();

    assertThat(decoded.component1().intValue()).isEqualTo(t.dtype().code());
    assertThat(decoded.component2()).isEqualTo(big(t.shape()));
    assertThat(decoded.component3().longValue()).isEqualTo(t.elementCount());
    assertThat(decoded.component4()).isEqualTo(bytes);
    switch (t.dtype()) {
      case INT32 -> assertThat(probe.int32s(bytes).send()).isEqualTo(big(t.toInts()));
      case INT64 -> assertThat(probe.int64s(bytes).send()).isEqualTo(big(t.toLongs()));
      case FLOAT32 -> assertThat(probe.float32Bits(bytes).send()).isEqualTo(unsigned(floatBits(t)));
      default -> {}
    }
    if (t.elementCount() > 0) {
      int i = r.nextInt((int) t.elementCount());
      BigInteger expected = elementBits(t, i);
      BigInteger actual =
          switch (t.dtype()) {
            case FLOAT32 -> probe.float32BitsAt(bytes, BigInteger.valueOf(i)).send();
            case FLOAT64 -> probe.float64BitsAt(bytes, BigInteger.valueOf(i)).send();
            case INT8 -> probe.int8At(bytes, BigInteger.valueOf(i)).send();
            case UINT8 -> probe.uint8At(bytes, BigInteger.valueOf(i)).send();
            case INT32 -> probe.int32At(bytes, BigInteger.valueOf(i)).send();
            case INT64 -> probe.int64At(bytes, BigInteger.valueOf(i)).send();
          };
      assertThat(actual).isEqualTo(expected);
    }
  }

  @Test
  void anAccessorRefusesAnotherDtypeAndAnIndexPastTheEnd() {
    byte[] ints = Tensor.ofInts(new int[] {1, 2}, 5, 6).canonicalBytes();
    assertReverts("TensorWrongDtype", () -> probe.float32BitsAt(ints, BigInteger.ZERO).send());
    assertReverts("TensorWrongDtype", () -> probe.int64s(ints).send());
    assertReverts("TensorIndexOutOfRange", () -> probe.int32At(ints, BigInteger.TWO).send());
    assertReverts("TensorIndexOutOfRange", () -> probe.dim(ints, BigInteger.TWO).send());
  }

  @ParameterizedTest
  @ValueSource(longs = {41, 42, 43, 44, 45, 46})
  void namedReadsEveryTensorOfAJavaBundle(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    NamedTensors bundle = randomBundle(r, 2 + r.nextInt(5));
    byte[] bytes = bundle.canonicalBytes();

    assertThat(probe.isBundle(bytes).send()).isTrue();
    assertThat(probe.validate(bytes).send().intValue()).isEqualTo(bundle.size());
    for (String name : bundle.names()) {
      Tensor t = bundle.get(name);
      var read = probe.named(bytes, name).send();
      assertThat(read.component1().intValue()).as(name).isEqualTo(t.dtype().code());
      assertThat(read.component2()).as(name).isEqualTo(big(t.shape()));
      assertThat(read.component4()).as(name).isEqualTo(t.canonicalBytes());
    }
    assertReverts("BundleNoSuchTensor", () -> probe.named(bytes, "no-such-output").send());
  }

  @ParameterizedTest
  @ValueSource(longs = {51, 52, 53, 54, 55, 56, 57, 58})
  void argmaxAgreesWithJavaForRandomFloat32AndInt32Logits(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 1 + r.nextInt(16);
    float[] pool = {
      0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, 3.5f
    };
    float[] floats = new float[n];
    int[] ints = new int[n];
    for (int i = 0; i < n; i++) {
      floats[i] =
          r.nextInt(3) == 0
              ? pool[r.nextInt(pool.length)]
              : (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(8) - 3));
      ints[i] = r.nextInt(3) == 0 ? r.nextInt(-2, 3) : r.nextInt();
    }
    Tensor f = Tensor.ofFloats(new int[] {1, n}, floats);
    Tensor q = Tensor.ofInts(new int[] {n}, ints);

    assertThat(probe.argmax(f.canonicalBytes()).send().intValue()).isEqualTo(f.argmax());
    assertThat(probe.argmax(q.canonicalBytes()).send().intValue()).isEqualTo(q.argmax());
  }

  @Test
  void argmaxTreatsMinusZeroAsEqualToPlusZeroAsJavaDoes() throws Exception {
    Tensor t = Tensor.ofFloats(new int[] {3}, -1f, -0f, 0f);
    assertThat(t.argmax()).isEqualTo(1);
    assertThat(probe.argmax(t.canonicalBytes()).send().intValue()).isEqualTo(1);
  }

  @Test
  void argmaxRefusesNanEmptyTensorsAndOtherDtypes() {
    assertReverts(
        "TensorNaN",
        () -> probe.argmax(Tensor.ofFloats(new int[] {2}, 1f, Float.NaN).canonicalBytes()).send());
    assertReverts(
        "TensorEmpty", () -> probe.argmax(Tensor.ofInts(new int[] {0}).canonicalBytes()).send());
    assertReverts(
        "TensorArgmaxDtype",
        () -> probe.argmax(Tensor.ofLongs(new int[] {1}, 1L).canonicalBytes()).send());
  }

  // ------------------------------------------------------------------------------ malformed

  static Stream<Arguments> malformedTensors() {
    byte[] ok = Tensor.ofFloats(new int[] {2}, 1f, 2f).canonicalBytes();
    return Stream.of(
        Arguments.of("empty", "", "TensorTruncated"),
        Arguments.of("one byte", "01", "TensorTruncated"),
        Arguments.of("dtype 0", "0000", "TensorUnknownDtype"),
        Arguments.of("dtype 7", "0700", "TensorUnknownDtype"),
        Arguments.of("rank 9", "0109" + "01000000".repeat(9) + "00000000", "TensorRankTooLarge"),
        Arguments.of("ends inside its shape", "010201000000", "TensorTruncated"),
        Arguments.of(
            "a data byte short",
            Hex.encode(Arrays.copyOf(ok, ok.length - 1)),
            "TensorLengthMismatch"),
        Arguments.of(
            "a data byte too many",
            Hex.encode(Arrays.copyOf(ok, ok.length + 1)),
            "TensorLengthMismatch"),
        Arguments.of("dimension 2^31", "05010000008000000000", "TensorDimensionTooLarge"),
        Arguments.of("2^32 elements", "05020000010000000100", "TensorTooLarge"),
        Arguments.of(
            "a bundle",
            Hex.encode(randomBundle(new SplittableRandom(1), 2).canonicalBytes()),
            "TensorIsBundle"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedTensors")
  void aMalformedTensorIsRefusedLikeJavaRefusesIt(String what, String hex, String error) {
    byte[] bytes = Hex.decode(hex);
    assertThatThrownBy(() -> Tensor.fromCanonicalBytes(bytes))
        .isInstanceOf(TensorFormatException.class);
    assertReverts(error, () -> probe.decode(bytes).send());
  }

  static Stream<Arguments> malformedBundles() {
    byte[] a = Tensor.ofInts(new int[] {1}, 1).canonicalBytes();
    byte[] b = Tensor.ofFloats(new int[] {2}, 1f, 2f).canonicalBytes();
    return Stream.of(
        Arguments.of("one tensor, not a bundle", Hex.encode(a), "BundleExpected"),
        Arguments.of("only the marker", "f0", "BundleTruncated"),
        Arguments.of("count 1", hex(bundle(1, "a", a)), "BundleCountInvalid"),
        Arguments.of("count 3, two tensors", hex(bundle(3, "a", a, "b", b)), "BundleTruncated"),
        Arguments.of("an empty name", hex(bundle(2, "", a, "b", b)), "BundleBadName"),
        Arguments.of("names out of order", hex(bundle(2, "b", a, "a", b)), "BundleNamesNotSorted"),
        Arguments.of("a name twice", hex(bundle(2, "a", a, "a", b)), "BundleNamesNotSorted"),
        Arguments.of(
            "a length past the end (lying)",
            hex(lyingLength(bundle(2, "a", a, "b", b), 1, 1000)),
            "BundleLengthOutOfRange"),
        Arguments.of(
            "a length one byte short (lying)",
            hex(lyingLength(bundle(2, "a", a, "b", b), 0, a.length - 1)),
            "TensorLengthMismatch"),
        Arguments.of(
            "a length that swallows the next entry (lying)",
            hex(lyingLength(bundle(2, "a", a, "b", b), 0, a.length + 6 + b.length)),
            "TensorLengthMismatch"),
        Arguments.of(
            "trailing bytes",
            hex(concat(bundle(2, "a", a, "b", b), new byte[] {0})),
            "BundleTrailingBytes"),
        Arguments.of(
            "a malformed tensor inside",
            hex(bundle(2, "a", a, "b", Arrays.copyOf(b, b.length - 1))),
            "TensorLengthMismatch"),
        Arguments.of(
            "a bundle inside",
            hex(bundle(2, "a", a, "b", bundle(2, "x", a, "y", b))),
            "TensorUnknownDtype"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBundles")
  void aMalformedBundleIsRefusedLikeJavaRefusesIt(String what, String hex, String error) {
    byte[] bytes = Hex.decode(hex);
    if (!what.startsWith("one tensor")) {
      assertThatThrownBy(() -> NamedTensors.decode(bytes, "x"))
          .isInstanceOf(TensorFormatException.class);
    }
    assertReverts(error, () -> probe.named(bytes, "b").send());
  }

  /**
   * Property: for mutations of valid encodings (cut, extended, one byte changed), the library
   * accepts exactly what Java accepts. (Names are checked for UTF-8 by Java only: a mutation that
   * breaks a name's UTF-8 is skipped — it cannot make a lookup by a valid name succeed.)
   */
  @ParameterizedTest
  @ValueSource(longs = {61, 62, 63, 64})
  void theLibraryAcceptsExactlyWhatJavaAcceptsForMutatedEncodings(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    int checked = 0;
    for (int k = 0; k < 40; k++) {
      byte[] valid =
          r.nextBoolean()
              ? randomTensor(r, DType.values()[r.nextInt(6)]).canonicalBytes()
              : randomBundle(r, 2 + r.nextInt(3)).canonicalBytes();
      byte[] mutated = mutate(r, valid);
      Throwable java = catchThrowable(() -> NamedTensors.decode(mutated, "x"));
      if (java != null && java.getMessage().contains("UTF-8")) {
        continue;
      }
      Throwable chain = catchThrowable(() -> probe.validate(mutated).send());
      if (chain != null) {
        assertThat(chain).isInstanceOf(ContractRevertException.class);
      }
      assertThat(chain == null)
          .as("chain accepts %s iff Java does (Java: %s, chain: %s)", hex(mutated), java, chain)
          .isEqualTo(java == null);
      checked++;
    }
    assertThat(checked).isGreaterThan(20);
  }

  // ------------------------------------------------------------------------------ float32

  static Stream<Arguments> fractions() {
    BigInteger two = BigInteger.TWO;
    return Stream.of(
        Arguments.of(BigInteger.ZERO, BigInteger.ONE),
        Arguments.of(BigInteger.valueOf(16_777_217), BigInteger.ONE), // tie: to even (2^24)
        Arguments.of(BigInteger.valueOf(16_777_219), BigInteger.ONE), // tie: to even (up)
        Arguments.of(BigInteger.valueOf(-1234), BigInteger.valueOf(100)),
        Arguments.of(BigInteger.ONE, BigInteger.valueOf(3)),
        Arguments.of(BigInteger.ONE, BigInteger.TEN),
        Arguments.of(BigInteger.ONE, two.pow(126)), // smallest normal
        Arguments.of(BigInteger.ONE, two.pow(127)), // a subnormal
        Arguments.of(BigInteger.valueOf(-3), two.pow(128).subtract(BigInteger.ONE)), // rounded
        Arguments.of(
            BigInteger.ONE, two.pow(128).subtract(BigInteger.ONE)), // the smallest reachable
        Arguments.of(two.pow(24).add(BigInteger.ONE), two.pow(127)), // a tie at 2^-103: to even
        Arguments.of(two.pow(128).subtract(two.pow(103)), BigInteger.ONE), // tie at the top: inf
        Arguments.of(two.pow(128).subtract(two.pow(103)).subtract(BigInteger.ONE), BigInteger.ONE),
        Arguments.of(two.pow(200), BigInteger.ONE), // infinity
        Arguments.of(two.pow(255).negate(), BigInteger.ONE), // int256 min: -infinity
        Arguments.of(two.pow(255).subtract(BigInteger.ONE), two.pow(128).subtract(BigInteger.ONE)));
  }

  @ParameterizedTest
  @MethodSource("fractions")
  void float32FromFractionRoundsToNearestEvenLikeJava(BigInteger n, BigInteger d) throws Exception {
    assertThat(probe.float32FromFraction(n, d).send().intValue())
        .as("%s / %s", n, d)
        .isEqualTo(float32Of(n, d));
  }

  @ParameterizedTest
  @ValueSource(longs = {71, 72, 73, 74})
  void float32FromFractionAgreesWithJavaForRandomFractions(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    for (int k = 0; k < 25; k++) {
      BigInteger n = new BigInteger(1 + r.nextInt(200), new java.util.Random(r.nextLong()));
      if (r.nextBoolean()) {
        n = n.negate();
      }
      BigInteger d = new BigInteger(1 + r.nextInt(128), new java.util.Random(r.nextLong()));
      if (d.signum() == 0) {
        d = BigInteger.ONE;
      }
      assertThat(probe.float32FromFraction(n, d).send().intValue())
          .as("%s / %s", n, d)
          .isEqualTo(float32Of(n, d));
    }
    long v = r.nextLong();
    assertThat(probe.float32FromInt(BigInteger.valueOf(v)).send().intValue())
        .isEqualTo(Float.floatToRawIntBits((float) v));
    assertReverts(
        "FloatZeroDenominator",
        () -> probe.float32FromFraction(BigInteger.ONE, BigInteger.ZERO).send());
  }

  @ParameterizedTest
  @ValueSource(longs = {81, 82, 83})
  void float32ToFixedTruncatesTheValueTimesTenToTheDecimals(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    for (int k = 0; k < 25; k++) {
      float f = Float.intBitsToFloat(r.nextInt());
      if (!Float.isFinite(f)) {
        continue;
      }
      int decimals = r.nextInt(19);
      BigInteger expected =
          new BigDecimal(f).movePointRight(decimals).setScale(0, RoundingMode.DOWN).toBigInteger();
      assertThat(
              probe
                  .float32ToFixed(
                      BigInteger.valueOf(Integer.toUnsignedLong(Float.floatToRawIntBits(f))),
                      BigInteger.valueOf(decimals))
                  .send())
          .as("%s × 10^%d", f, decimals)
          .isEqualTo(expected);
    }
    assertReverts(
        "FloatNotFinite",
        () -> probe.float32ToFixed(BigInteger.valueOf(0x7fc00000L), BigInteger.ZERO).send());
  }

  // ------------------------------------------------------------------------------ gas

  @Test
  void gasOfReadingOutputsAndWritingInputs() throws Exception {
    SplittableRandom r = new SplittableRandom(99);
    for (int n : new int[] {4, 10, 100, 1000}) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) r.nextGaussian();
      }
      Tensor logits = Tensor.ofFloats(new int[] {1, n}, v);
      var g = probe.gasOfArgmax(logits.canonicalBytes()).send();
      assertThat(g.component1().intValue()).isEqualTo(logits.argmax());
      System.out.printf("GAS decode + argmax, %d float32 logits: %s%n", n, g.component2());
    }
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    outputs.put("logits", Tensor.ofFloats(new int[] {1, 8}, 0, 1, 2, 3, 9, 5, 6, 7));
    outputs.put("embedding", Tensor.ofFloats(new int[] {1, 16}, new float[16]));
    outputs.put("probabilities", Tensor.ofFloats(new int[] {1, 8}, new float[8]));
    byte[] bundle = NamedTensors.of(outputs).canonicalBytes();
    var named = probe.gasOfArgmaxNamed(bundle, "logits").send();
    assertThat(named.component1().intValue()).isEqualTo(4);
    System.out.printf(
        "GAS named(\"logits\") + argmax, bundle of 3 outputs (%d bytes, 8 logits): %s%n",
        bundle.length, named.component2());
    byte[] input = Tensor.ofFloats(new int[] {1, 4}, 1, 0, 1, 0).canonicalBytes();
    System.out.printf(
        "GAS validate a %d-byte input: %s%n", input.length, probe.gasOfValidate(input).send());
    for (int n : new int[] {4, 64}) {
      int[] ints = IntStream.range(0, n).map(i -> i * 37 - 1000).toArray();
      var enc = probe.gasOfEncodeFloat32FromInts(big(new int[] {1, n}), big(ints)).send();
      float[] asFloats = new float[n];
      for (int i = 0; i < n; i++) {
        asFloats[i] = ints[i];
      }
      assertThat(enc.component1())
          .isEqualTo(Tensor.ofFloats(new int[] {1, n}, asFloats).canonicalBytes());
      System.out.printf(
          "GAS encode %d integers as a float32 [1, %d] input: %s%n", n, n, enc.component2());
    }
  }

  // ------------------------------------------------------------------------------ helpers

  /** The correctly rounded float32 of n / d, from an exact-enough decimal quotient. */
  static int float32Of(BigInteger n, BigInteger d) {
    BigDecimal q =
        new BigDecimal(n).divide(new BigDecimal(d), new MathContext(400, RoundingMode.HALF_EVEN));
    float f = q.floatValue();
    if (f == 0f && n.signum() < 0) {
      f = -0f;
    }
    return Float.floatToRawIntBits(f);
  }

  static int[] randomShape(SplittableRandom r) {
    int rank = r.nextInt(5);
    int[] shape = new int[rank];
    for (int i = 0; i < rank; i++) {
      shape[i] = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(4);
    }
    return shape;
  }

  static Tensor randomTensor(SplittableRandom r, DType dtype) {
    int[] shape = randomShape(r);
    return Tensor.of(dtype, shape, randomBytes(r, (int) Tensor.elementCount(shape) * dtype.size()));
  }

  /** Names that test the byte order: prefixes of each other, upper before lower case, UTF-8. */
  static final String[] NAMES = {
    "a", "ab", "b", "B", "logits", "logit", "probabilities", "état", "日本", "x_1", "x_10", "x_2"
  };

  static NamedTensors randomBundle(SplittableRandom r, int count) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    while (m.size() < count) {
      m.put(NAMES[r.nextInt(NAMES.length)], randomTensor(r, DType.values()[r.nextInt(6)]));
    }
    return NamedTensors.of(m);
  }

  static byte[] randomBytes(SplittableRandom r, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }

  static byte[] mutate(SplittableRandom r, byte[] valid) {
    return switch (r.nextInt(3)) {
      case 0 -> Arrays.copyOf(valid, r.nextInt(valid.length));
      case 1 -> concat(valid, randomBytes(r, 1 + r.nextInt(4)));
      default -> {
        byte[] m = valid.clone();
        m[r.nextInt(m.length)] = (byte) r.nextInt(256);
        yield m;
      }
    };
  }

  /** A bundle written by hand: count, then (name, tensor bytes) pairs as given, unchecked. */
  static byte[] bundle(int count, Object... entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xF0);
    out.write(count);
    for (int i = 0; i < entries.length; i += 2) {
      byte[] name = ((String) entries[i]).getBytes(StandardCharsets.UTF_8);
      byte[] t = (byte[]) entries[i + 1];
      out.write(name.length);
      out.writeBytes(name);
      out.writeBytes(
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(t.length).array());
      out.writeBytes(t);
    }
    return out.toByteArray();
  }

  /** {@code bundle} with the length field of entry {@code index} replaced by {@code length}. */
  static byte[] lyingLength(byte[] bundle, int index, int length) {
    byte[] b = bundle.clone();
    int p = 2;
    for (int i = 0; ; i++) {
      int nameLength = b[p] & 0xff;
      int field = p + 1 + nameLength;
      int actual = ByteBuffer.wrap(b, field, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (i == index) {
        ByteBuffer.wrap(b, field, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(length);
        return b;
      }
      p = field + 4 + actual;
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static String hex(byte[] b) {
    return Hex.encode(b);
  }

  static int[] floatBits(Tensor t) {
    ByteBuffer b = ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
    int[] bits = new int[(int) t.elementCount()];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = b.getInt();
    }
    return bits;
  }

  /** Element i as the accessor returns it: signed for ints, the unsigned bit pattern for floats. */
  static BigInteger elementBits(Tensor t, int i) {
    ByteBuffer b = ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
    return switch (t.dtype()) {
      case FLOAT32 -> BigInteger.valueOf(Integer.toUnsignedLong(b.getInt(4 * i)));
      case FLOAT64 -> new BigInteger(Long.toUnsignedString(b.getLong(8 * i)));
      case INT8 -> BigInteger.valueOf(b.get(i));
      case UINT8 -> BigInteger.valueOf(b.get(i) & 0xff);
      case INT32 -> BigInteger.valueOf(b.getInt(4 * i));
      case INT64 -> BigInteger.valueOf(b.getLong(8 * i));
    };
  }

  static List<BigInteger> big(int[] values) {
    return Arrays.stream(values).mapToObj(BigInteger::valueOf).toList();
  }

  static List<BigInteger> big(long[] values) {
    return Arrays.stream(values).mapToObj(BigInteger::valueOf).toList();
  }

  static List<BigInteger> unsigned(int[] bits) {
    return Arrays.stream(bits)
        .mapToObj(b -> BigInteger.valueOf(Integer.toUnsignedLong(b)))
        .toList();
  }
}
