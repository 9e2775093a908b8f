package io.vouch.zk.field;

import static io.vouch.zk.field.FieldReference.big;
import static io.vouch.zk.field.FieldReference.randomExt;
import static io.vouch.zk.field.FieldReference.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoldilocksExt2Test {
  static LongStream seeds() {
    return LongStream.range(1, 21);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void multiplicationMatchesBigIntegerModuloXSquaredMinusSeven(long seed) {
    var rnd = new SplittableRandom(seed);
    for (int i = 0; i < 300; i++) {
      GoldilocksExt2 a = randomExt(rnd), b = randomExt(rnd);
      BigInteger[] ref = FieldReference.extMul(big(a.c0()), big(a.c1()), big(b.c0()), big(b.c1()));
      assertThat(a.mul(b)).isEqualTo(new GoldilocksExt2(small(ref[0]), small(ref[1])));
    }
  }

  /**
   * mul0/mul1 sum unreduced products in lazy form: the carries and borrows happen at the extremes,
   * and any 64-bit coordinates (p and above too, as some callers pass) give the canonical residue.
   */
  @Test
  void lazyReductionHoldsOnEveryExtremeCoordinate() {
    long p = Goldilocks.P;
    long[] extremes = {
      0,
      1,
      2,
      7,
      0xFFFF_FFFFL,
      1L << 32,
      (1L << 32) + 1,
      1L << 63,
      p - (1L << 32),
      p - 2,
      p - 1,
      p,
      p + 1,
      -2,
      -1
    };
    for (long a0 : extremes) {
      for (long a1 : extremes) {
        for (long b0 : extremes) {
          for (long b1 : extremes) {
            BigInteger[] ref = FieldReference.extMul(big(a0), big(a1), big(b0), big(b1));
            assertThat(GoldilocksExt2.mul0(a0, a1, b0, b1)).isEqualTo(small(ref[0]));
            assertThat(GoldilocksExt2.mul1(a0, a1, b0, b1)).isEqualTo(small(ref[1]));
          }
        }
      }
    }
  }

  /**
   * The provers' one-reduction forms (t + a·b, a·b + c·d, and eq-weighted sums of many products
   * kept lazy) give the same residues as BigInteger, on the extremes and on seeded random elements.
   */
  @Test
  void productsSumsAndDotsInLazyFormMatchBigInteger() {
    long p = Goldilocks.P;
    long[] extremes = {0, 1, 7, 0xFFFF_FFFFL, 1L << 32, 1L << 63, p - (1L << 32), p - 2, p - 1};
    for (long a0 : extremes) {
      for (long a1 : extremes) {
        for (long b0 : extremes) {
          for (long b1 : extremes) {
            BigInteger[] ref = FieldReference.extMul(big(a0), big(a1), big(b0), big(b1));
            long t = b0 ^ a1;
            assertThat(GoldilocksExt2.mulAdd0(t, a0, a1, b0, b1))
                .isEqualTo(small(ref[0].add(big(t))));
            assertThat(GoldilocksExt2.mulAdd1(t, a0, a1, b0, b1))
                .isEqualTo(small(ref[1].add(big(t))));
          }
        }
      }
    }
    var rnd = new SplittableRandom(29);
    BigInteger sum0 = BigInteger.ZERO, sum1 = BigInteger.ZERO;
    long low0 = 0, high0 = 0, low1 = 0, high1 = 0;
    for (int i = 0; i < 20_000; i++) {
      GoldilocksExt2 a = randomExt(rnd), b = randomExt(rnd), c = randomExt(rnd), d = randomExt(rnd);
      BigInteger[] ab = FieldReference.extMul(big(a.c0()), big(a.c1()), big(b.c0()), big(b.c1()));
      BigInteger[] cd = FieldReference.extMul(big(c.c0()), big(c.c1()), big(d.c0()), big(d.c1()));
      assertThat(
              GoldilocksExt2.dot0(a.c0(), a.c1(), b.c0(), b.c1(), c.c0(), c.c1(), d.c0(), d.c1()))
          .isEqualTo(small(ab[0].add(cd[0])));
      assertThat(
              GoldilocksExt2.dot1(a.c0(), a.c1(), b.c0(), b.c1(), c.c0(), c.c1(), d.c0(), d.c1()))
          .isEqualTo(small(ab[1].add(cd[1])));
      sum0 = sum0.add(ab[0]);
      sum1 = sum1.add(ab[1]);
      low0 += GoldilocksExt2.lazyLow0(a.c0(), a.c1(), b.c0(), b.c1());
      high0 += GoldilocksExt2.lazyHigh0(a.c0(), a.c1(), b.c0(), b.c1());
      low1 += GoldilocksExt2.lazyLow1(a.c0(), a.c1(), b.c0(), b.c1());
      high1 += GoldilocksExt2.lazyHigh1(a.c0(), a.c1(), b.c0(), b.c1());
    }
    assertThat(Goldilocks.settle(low0, high0)).isEqualTo(small(sum0));
    assertThat(Goldilocks.settle(low1, high1)).isEqualTo(small(sum1));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void additionAndSubtractionAreCoordinatewise(long seed) {
    var rnd = new SplittableRandom(seed);
    for (int i = 0; i < 300; i++) {
      GoldilocksExt2 a = randomExt(rnd), b = randomExt(rnd);
      assertThat(a.add(b).c1()).isEqualTo(small(big(a.c1()).add(big(b.c1()))));
      assertThat(a.sub(b).c0()).isEqualTo(small(big(a.c0()).subtract(big(b.c0()))));
      assertThat(a.add(b).sub(b)).isEqualTo(a);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void inverseMultipliesToOne(long seed) {
    var rnd = new SplittableRandom(seed);
    for (int i = 0; i < 50; i++) {
      GoldilocksExt2 a = randomExt(rnd);
      if (!a.isZero()) {
        assertThat(a.mul(a.inverse())).isEqualTo(GoldilocksExt2.ONE);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void batchInverseEqualsElementwiseInverse(long seed) {
    var rnd = new SplittableRandom(seed);
    int n = 1 + rnd.nextInt(30);
    long[] v = new long[2 * n];
    for (int i = 0; i < n; i++) {
      GoldilocksExt2 x = randomExt(rnd);
      (x.isZero() ? GoldilocksExt2.ONE : x).store(v, i);
    }
    long[] inv = GoldilocksExt2.batchInverse(v);
    for (int i = 0; i < n; i++) {
      assertThat(GoldilocksExt2.at(inv, i)).isEqualTo(GoldilocksExt2.at(v, i).inverse());
    }
  }

  @Test
  void sevenIsNotASquareSoTheExtensionIsAField() {
    // Euler's criterion: 7^((p-1)/2) = -1
    assertThat(Goldilocks.pow(7, (Goldilocks.P - 1) >>> 1)).isEqualTo(Goldilocks.P - 1);
  }

  @Test
  void nonCanonicalCoordinatesAreRefused() {
    assertThatThrownBy(() -> new GoldilocksExt2(Goldilocks.P, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("canonical");
  }
}
