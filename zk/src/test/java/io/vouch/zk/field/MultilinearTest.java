package io.vouch.zk.field;

import static io.vouch.zk.field.FieldReference.big;
import static io.vouch.zk.field.FieldReference.randomElement;
import static io.vouch.zk.field.FieldReference.randomExt;
import static io.vouch.zk.field.FieldReference.small;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MultilinearTest {
  static LongStream seeds() {
    return LongStream.range(1, 16);
  }

  /** Reference: fold the variables one by one with BigInteger pairs, least significant first. */
  private static BigInteger[][] foldReference(BigInteger[][] f, GoldilocksExt2[] r) {
    BigInteger[][] cur = f;
    for (GoldilocksExt2 rj : r) {
      BigInteger[][] next = new BigInteger[cur.length / 2][];
      for (int x = 0; x < next.length; x++) {
        BigInteger[] lo = cur[2 * x], hi = cur[2 * x + 1];
        BigInteger d0 = hi[0].subtract(lo[0]), d1 = hi[1].subtract(lo[1]);
        BigInteger[] m =
            FieldReference.extMul(
                d0.mod(FieldReference.P), d1.mod(FieldReference.P), big(rj.c0()), big(rj.c1()));
        next[x] =
            new BigInteger[] {
              lo[0].add(m[0]).mod(FieldReference.P), lo[1].add(m[1]).mod(FieldReference.P)
            };
      }
      cur = next;
    }
    return cur;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void evaluationOfBaseVectorMatchesVariableByVariableFolding(long seed) {
    var rnd = new SplittableRandom(seed);
    int n = (int) (seed % 7);
    long[] f = new long[1 << n];
    BigInteger[][] ref = new BigInteger[f.length][];
    for (int i = 0; i < f.length; i++) {
      f[i] = FieldReference.randomElement(rnd);
      ref[i] = new BigInteger[] {big(f[i]), BigInteger.ZERO};
    }
    GoldilocksExt2[] r = new GoldilocksExt2[n];
    for (int j = 0; j < n; j++) {
      r[j] = randomExt(rnd);
    }
    BigInteger[] expected = foldReference(ref, r)[0];
    assertThat(Multilinear.evaluate(f, r))
        .isEqualTo(
            new GoldilocksExt2(
                FieldReference.small(expected[0]), FieldReference.small(expected[1])));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void evaluationOfExtensionVectorMatchesFolding(long seed) {
    var rnd = new SplittableRandom(seed + 50);
    int n = (int) (seed % 6);
    long[] f = new long[2 << n];
    BigInteger[][] ref = new BigInteger[1 << n][];
    for (int i = 0; i < 1 << n; i++) {
      GoldilocksExt2 v = randomExt(rnd);
      v.store(f, i);
      ref[i] = new BigInteger[] {big(v.c0()), big(v.c1())};
    }
    GoldilocksExt2[] r = new GoldilocksExt2[n];
    for (int j = 0; j < n; j++) {
      r[j] = randomExt(rnd);
    }
    BigInteger[] expected = foldReference(ref, r)[0];
    assertThat(Multilinear.evaluateExt(f, r))
        .isEqualTo(
            new GoldilocksExt2(
                FieldReference.small(expected[0]), FieldReference.small(expected[1])));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void eqTableAtBooleanPointIsTheIndicatorOfThatPoint(long seed) {
    int n = 1 + (int) (seed % 5);
    int target = (int) (seed * 7919 % (1 << n));
    GoldilocksExt2[] r = new GoldilocksExt2[n];
    for (int j = 0; j < n; j++) {
      r[j] = ((target >> j) & 1) == 1 ? GoldilocksExt2.ONE : GoldilocksExt2.ZERO;
    }
    long[] t = Multilinear.eqTable(r);
    for (int x = 0; x < 1 << n; x++) {
      assertThat(GoldilocksExt2.at(t, x))
          .isEqualTo(x == target ? GoldilocksExt2.ONE : GoldilocksExt2.ZERO);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void eqTableEntriesEqualPointwiseEq(long seed) {
    var rnd = new SplittableRandom(seed);
    int n = 1 + (int) (seed % 5);
    GoldilocksExt2[] r = new GoldilocksExt2[n];
    for (int j = 0; j < n; j++) {
      r[j] = randomExt(rnd);
    }
    long[] t = Multilinear.eqTable(r);
    for (int x = 0; x < 1 << n; x++) {
      GoldilocksExt2[] bits = new GoldilocksExt2[n];
      for (int j = 0; j < n; j++) {
        bits[j] = ((x >> j) & 1) == 1 ? GoldilocksExt2.ONE : GoldilocksExt2.ZERO;
      }
      assertThat(GoldilocksExt2.at(t, x)).isEqualTo(Multilinear.eq(r, bits));
    }
  }

  /** Σ f[offset + i]·e[i] (f base, e interleaved K; e == null: f is interleaved K too) exactly. */
  private static GoldilocksExt2 innerProductReference(long[] f, int offset, int n, long[] e) {
    BigInteger s0 = BigInteger.ZERO, s1 = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      s0 = s0.add(big(f[offset + i]).multiply(big(e[2 * i])));
      s1 = s1.add(big(f[offset + i]).multiply(big(e[2 * i + 1])));
    }
    return new GoldilocksExt2(small(s0), small(s1));
  }

  /**
   * The inner products sum their products in lazy form and settle once per block: the same residues
   * as BigInteger, for seeded lengths, slices and non-canonical base entries.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void innerProductsMatchBigInteger(long seed) {
    var rnd = new SplittableRandom(seed);
    int n = 1 + rnd.nextInt(3000);
    long[] f = new long[n + 7];
    long[] e = new long[2 * n];
    long[] g = new long[2 * n];
    for (int i = 0; i < f.length; i++) {
      f[i] = i % 11 == 0 ? rnd.nextLong() : i % 3 == 0 ? 0 : randomElement(rnd);
    }
    for (int i = 0; i < 2 * n; i++) {
      e[i] = randomElement(rnd);
      g[i] = randomElement(rnd);
    }
    long[] head = java.util.Arrays.copyOf(f, n);
    assertThat(Multilinear.innerProductBase(head, e)).isEqualTo(innerProductReference(f, 0, n, e));
    assertThat(Multilinear.innerProductBase(f, 7, n, e))
        .isEqualTo(innerProductReference(f, 7, n, e));
    BigInteger s0 = BigInteger.ZERO, s1 = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      BigInteger[] m =
          FieldReference.extMul(big(g[2 * i]), big(g[2 * i + 1]), big(e[2 * i]), big(e[2 * i + 1]));
      s0 = s0.add(m[0]);
      s1 = s1.add(m[1]);
    }
    assertThat(Multilinear.innerProduct(g, e)).isEqualTo(new GoldilocksExt2(small(s0), small(s1)));
  }

  /** Past one lazy block, with the largest residues (the largest lazy parts) in every entry. */
  @Test
  void innerProductsOverMoreThanOneLazyBlockMatchBigInteger() {
    int n = GoldilocksExt2.LAZY_BLOCK + 5;
    long top = Goldilocks.P - 1;
    long[] f = new long[n];
    long[] e = new long[2 * n];
    java.util.Arrays.fill(f, top);
    java.util.Arrays.fill(e, top);
    // (p − 1)^2 = 1: each base product is 1, each extension product (−1 − X)^2 = 8 + 2X
    assertThat(Multilinear.innerProductBase(f, e))
        .isEqualTo(new GoldilocksExt2(n, n))
        .isEqualTo(innerProductReference(f, 0, n, e));
    assertThat(Multilinear.innerProduct(e, e)).isEqualTo(new GoldilocksExt2(8L * n, 2L * n));
  }
}
