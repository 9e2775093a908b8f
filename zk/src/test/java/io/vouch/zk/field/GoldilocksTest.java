package io.vouch.zk.field;

import static io.vouch.zk.field.FieldReference.big;
import static io.vouch.zk.field.FieldReference.randomElement;
import static io.vouch.zk.field.FieldReference.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoldilocksTest {
  static LongStream seeds() {
    return LongStream.range(1, 21);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void additionSubtractionAndNegationMatchBigInteger(long seed) {
    var rnd = new SplittableRandom(seed);
    for (int i = 0; i < 500; i++) {
      long a = randomElement(rnd), b = randomElement(rnd);
      assertThat(Goldilocks.add(a, b)).isEqualTo(small(big(a).add(big(b))));
      assertThat(Goldilocks.sub(a, b)).isEqualTo(small(big(a).subtract(big(b))));
      assertThat(Goldilocks.neg(a)).isEqualTo(small(big(a).negate()));
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void multiplicationMatchesBigInteger(long seed) {
    var rnd = new SplittableRandom(seed);
    for (int i = 0; i < 500; i++) {
      long a = randomElement(rnd), b = randomElement(rnd);
      assertThat(Goldilocks.mul(a, b)).isEqualTo(small(big(a).multiply(big(b))));
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void reductionOfAny128BitValueMatchesBigInteger(long seed) {
    var rnd = new SplittableRandom(seed);
    for (int i = 0; i < 500; i++) {
      long hi = rnd.nextLong(), lo = rnd.nextLong();
      BigInteger v = big(hi).shiftLeft(64).add(big(lo));
      assertThat(Goldilocks.reduce128(hi, lo)).isEqualTo(small(v));
    }
  }

  /**
   * The lazy form of a product (the GKR prover's sums): any 64-bit a, b give parts in the stated
   * ranges whose value low + high·2^32 is a·b mod p, and {@code settle} reduces a sum of up to 2^29
   * such parts — the extremes of its input range included — to the canonical residue.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void lazyProductsAndTheirSettledSumsMatchBigInteger(long seed) {
    var rnd = new SplittableRandom(seed);
    for (int i = 0; i < 500; i++) {
      long a = i % 5 == 0 ? rnd.nextLong() : randomElement(rnd);
      long b = i % 7 == 0 ? -1 - rnd.nextInt(4) : randomElement(rnd);
      long low = Goldilocks.lazyLow(a, b), high = Goldilocks.lazyHigh(a, b);
      assertThat(low).isGreaterThan(-(1L << 33)).isLessThan(1L << 32);
      assertThat(high).isNotNegative().isLessThan(1L << 33);
      assertThat(Goldilocks.settle(low, high)).isEqualTo(small(big(a).multiply(big(b))));
    }
    long[] lows = {0, 1, -1, (1L << 62) - 1, -(1L << 62) + 1, -(1L << 32), 1L << 32};
    long[] highs = {0, 1, (1L << 62) - 1, (1L << 32) - 1, 1L << 32, (1L << 62) - (1L << 32)};
    for (int i = 0; i < 2_000; i++) {
      long low =
          i < lows.length * highs.length
              ? lows[i % lows.length]
              : rnd.nextLong(-(1L << 62) + 1, 1L << 62);
      long high = i < lows.length * highs.length ? highs[i / lows.length] : rnd.nextLong(1L << 62);
      BigInteger v = BigInteger.valueOf(low).add(BigInteger.valueOf(high).shiftLeft(32));
      assertThat(Goldilocks.settle(low, high)).as(low + ", " + high).isEqualTo(small(v));
    }
  }

  /**
   * t + a·b with one reduction (the sum-check's folds of base tables): any 64-bit t, a, b — the
   * extremes and non-canonical values included — give the canonical residue.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void mulAddOfAny64BitValuesMatchesBigInteger(long seed) {
    long p = Goldilocks.P;
    long[] extremes = {0, 1, 0xFFFF_FFFFL, 1L << 32, 1L << 63, p - 1, p, -1};
    for (long t : extremes) {
      for (long a : extremes) {
        for (long b : extremes) {
          BigInteger v = big(t).add(big(a).multiply(big(b)));
          assertThat(Goldilocks.mulAdd(t, a, b)).isEqualTo(small(v));
        }
      }
    }
    var rnd = new SplittableRandom(seed);
    for (int i = 0; i < 500; i++) {
      long t = i % 3 == 0 ? rnd.nextLong() : randomElement(rnd);
      long a = i % 5 == 0 ? rnd.nextLong() : randomElement(rnd);
      long b = randomElement(rnd);
      BigInteger v = big(t).add(big(a).multiply(big(b)));
      assertThat(Goldilocks.mulAdd(t, a, b)).isEqualTo(small(v));
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void inverseMultipliesToOne(long seed) {
    var rnd = new SplittableRandom(seed);
    for (int i = 0; i < 50; i++) {
      long a = randomElement(rnd);
      if (a == 0) {
        continue;
      }
      assertThat(Goldilocks.inverse(a)).isEqualTo(small(big(a).modInverse(FieldReference.P)));
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void batchInverseEqualsElementwiseInverse(long seed) {
    var rnd = new SplittableRandom(seed);
    long[] v = new long[1 + rnd.nextInt(40)];
    for (int i = 0; i < v.length; i++) {
      v[i] = 1 + rnd.nextLong(Long.MAX_VALUE);
    }
    long[] inv = Goldilocks.batchInverse(v);
    for (int i = 0; i < v.length; i++) {
      assertThat(inv[i]).isEqualTo(Goldilocks.inverse(v[i]));
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      longs = {1, 2, 7, 0xFFFF_FFFFL, 1L << 32, 0xFFFF_FFFF_0000_0000L, 0xFFFF_FFFF_0000_0000L - 1})
  void inverseOfEdgeValuesMatchesBigInteger(long a) {
    // 1, small, 2^32 − 1, 2^32, p − 1 and p − 2: the addition chain's edge cases
    assertThat(Goldilocks.inverse(a)).isEqualTo(small(big(a).modInverse(FieldReference.P)));
    assertThat(Goldilocks.mul(a, Goldilocks.inverse(a))).isEqualTo(1);
  }

  @Test
  void inverseOfZeroIsRefused() {
    assertThatThrownBy(() -> Goldilocks.inverse(0)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Goldilocks.batchInverse(new long[] {3, 0}))
        .hasMessageContaining("element 1");
  }

  @Test
  void rootsOfUnityHaveExactlyTheirOrder() {
    for (int log = 1; log <= Goldilocks.TWO_ADICITY; log++) {
      long w = Goldilocks.rootOfUnity(log);
      assertThat(Goldilocks.pow(w, 1L << log)).as("w^(2^%d)", log).isEqualTo(1);
      assertThat(Goldilocks.pow(w, 1L << (log - 1)))
          .as("w^(2^%d)", log - 1)
          .isEqualTo(Goldilocks.P - 1);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void signedEmbeddingRoundTrips(long seed) {
    var rnd = new SplittableRandom(seed);
    for (int i = 0; i < 200; i++) {
      long v = rnd.nextLong(-(1L << 62), 1L << 62);
      long x = Goldilocks.fromSigned(v);
      assertThat(x).isEqualTo(small(BigInteger.valueOf(v)));
      assertThat(Goldilocks.toSigned(x)).isEqualTo(v);
    }
  }

  /** The branch-free check agrees with isCanonical at the edges and on random words. */
  @Test
  void allCanonicalAgreesWithIsCanonical() {
    long p = Goldilocks.P;
    long[] edges = {0, 1, p - 1, p, p + 1, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFFL};
    for (long v : edges) {
      assertThat(Goldilocks.allCanonical(new long[] {3, v, 5}))
          .isEqualTo(Goldilocks.isCanonical(v));
    }
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(31);
    for (int i = 0; i < 10_000; i++) {
      long v = rnd.nextInt(4) == 0 ? p + rnd.nextLong(0xFFFF_FFFEL) : rnd.nextLong();
      assertThat(Goldilocks.allCanonical(new long[] {v})).isEqualTo(Goldilocks.isCanonical(v));
    }
    assertThat(Goldilocks.allCanonical(new long[0])).isTrue();
  }
}
