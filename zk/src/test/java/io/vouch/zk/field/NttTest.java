package io.vouch.zk.field;

import static io.vouch.zk.field.FieldReference.big;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NttTest {
  static IntStream sizes() {
    return IntStream.rangeClosed(0, 9);
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void forwardEvaluatesThePolynomialAtEveryRootOfUnity(int logN) {
    var rnd = new SplittableRandom(logN);
    int n = 1 << logN;
    long[] coeffs = new long[n];
    for (int i = 0; i < n; i++) {
      coeffs[i] = FieldReference.randomElement(rnd);
    }
    long[] evals = coeffs.clone();
    Ntt.forward(evals);
    BigInteger w = big(Goldilocks.rootOfUnity(logN));
    for (int i = 0; i < n; i++) {
      BigInteger x = w.modPow(BigInteger.valueOf(i), FieldReference.P);
      BigInteger acc = BigInteger.ZERO;
      for (int k = n - 1; k >= 0; k--) {
        acc = acc.multiply(x).add(big(coeffs[k])).mod(FieldReference.P);
      }
      assertThat(evals[i]).as("evaluation %d", i).isEqualTo(FieldReference.small(acc));
    }
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void inverseUndoesForward(int logN) {
    var rnd = new SplittableRandom(100 + logN);
    long[] a = new long[1 << logN];
    for (int i = 0; i < a.length; i++) {
      a[i] = FieldReference.randomElement(rnd);
    }
    long[] b = a.clone();
    Ntt.forward(b);
    Ntt.inverse(b);
    assertThat(b).containsExactly(a);
  }

  @Test
  void encodingAgreesWithTheMessageOnTheSubgroupOfItsOwnSize() {
    // RS codeword restricted to every 4th point = evaluations on the n-th roots of unity
    var rnd = new SplittableRandom(7);
    long[] msg = new long[16];
    for (int i = 0; i < msg.length; i++) {
      msg[i] = FieldReference.randomElement(rnd);
    }
    long[] code = Ntt.encode(msg, 4);
    long[] direct = msg.clone();
    Ntt.forward(direct);
    for (int i = 0; i < msg.length; i++) {
      assertThat(code[4 * i]).isEqualTo(direct[i]);
    }
  }

  @Test
  void inPlaceEncodingSkipsOnlyStagesThatCopy() {
    var rnd = new SplittableRandom(11);
    for (int logM = 0; logM <= 9; logM++) {
      for (int logBlowup = 0; logBlowup <= 3; logBlowup++) {
        int m = 1 << logM;
        long[] message = new long[m];
        for (int i = 0; i < m; i++) {
          message[i] = FieldReference.randomElement(rnd);
        }
        long[] expected = Ntt.encode(message, 1 << logBlowup);
        long[] inPlace = java.util.Arrays.copyOf(message, m << logBlowup);
        Ntt.encodeInPlace(inPlace, m);
        assertThat(inPlace).as("m = %d, blowup = %d", m, 1 << logBlowup).containsExactly(expected);
      }
    }
  }

  @Test
  void nonPowerOfTwoSizesAreRefused() {
    assertThatThrownBy(() -> Ntt.forward(new long[6])).hasMessageContaining("power of two");
  }

  /** The K encoding in one pass equals the base-field encoding of each coordinate. */
  @Test
  void encodeExtEqualsEncodingEachCoordinate() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int logM = 0; logM <= 9; logM++) {
      for (int blowup : new int[] {2, 4}) {
        int m = 1 << logM;
        long[] v = new long[2 * m];
        long[] re = new long[m], im = new long[m];
        for (int i = 0; i < m; i++) {
          re[i] = v[2 * i] = Goldilocks.reduce64(rnd.nextLong());
          im[i] = v[2 * i + 1] = Goldilocks.reduce64(rnd.nextLong());
        }
        long[] er = Ntt.encode(re, blowup), ei = Ntt.encode(im, blowup);
        long[] both = Ntt.encodeExt(v, blowup);
        assertThat(both).hasSize(2 * m * blowup);
        for (int i = 0; i < m * blowup; i++) {
          assertThat(both[2 * i]).isEqualTo(er[i]);
          assertThat(both[2 * i + 1]).isEqualTo(ei[i]);
        }
      }
    }
  }

  /** Pruned to the needed positions, the encoding has the full transform's values there. */
  @Test
  void encodeExtAtNeededPositionsEqualsFullEncoding() {
    SplittableRandom rnd = new SplittableRandom(13);
    for (int logM = 0; logM <= 10; logM++) {
      for (int blowup : new int[] {2, 4}) {
        int m = 1 << logM, n = m * blowup;
        long[] v = new long[2 * m];
        for (int i = 0; i < v.length; i++) {
          v[i] = Goldilocks.reduce64(rnd.nextLong());
        }
        long[] full = Ntt.encodeExt(v, blowup);
        for (int queries : new int[] {1, 3, 56, 262, 3 * n}) {
          int[] needed = new int[queries];
          for (int q = 0; q < queries; q++) {
            needed[q] = rnd.nextInt(n);
          }
          long[] pruned = Ntt.encodeExt(v, blowup, needed);
          for (int c : needed) {
            assertThat(pruned[2 * c]).isEqualTo(full[2 * c]);
            assertThat(pruned[2 * c + 1]).isEqualTo(full[2 * c + 1]);
          }
        }
      }
    }
  }

  /** Values at the ends of the ranges the lazy butterflies and their reductions handle. */
  private static final long[] EDGES = {
    0,
    1,
    2,
    Goldilocks.P - 1,
    Goldilocks.P - 2,
    0xFFFF_FFFFL,
    1L << 32,
    (1L << 32) + 1,
    1L << 48,
    Goldilocks.P - (1L << 48),
    1L << 63,
    (1L << 63) - 1,
    Goldilocks.P >>> 1
  };

  /** A message whose coefficients are drawn from {@link #EDGES} or random, per {@code kind}. */
  private static long[] edgeMessage(int m, int kind, SplittableRandom rnd) {
    long[] message = new long[m];
    for (int i = 0; i < m; i++) {
      message[i] =
          switch (kind) {
            case 0 -> Goldilocks.P - 1;
            case 1 -> EDGES[i % EDGES.length];
            case 2 -> EDGES[rnd.nextInt(EDGES.length)];
            case 3 -> rnd.nextBoolean() ? EDGES[rnd.nextInt(EDGES.length)] : randomResidue(rnd);
            default -> randomResidue(rnd);
          };
    }
    return message;
  }

  private static long randomResidue(SplittableRandom rnd) {
    return Goldilocks.reduce64(rnd.nextLong());
  }

  /** The message as a polynomial evaluated at ω^i for every i < n, by Horner's rule. */
  private static long[] naiveEncoding(long[] message, int n) {
    long omega = Goldilocks.rootOfUnity(Ntt.log2(n));
    long[] out = new long[n];
    long x = 1;
    for (int i = 0; i < n; i++) {
      long acc = 0;
      for (int k = message.length - 1; k >= 0; k--) {
        acc = Goldilocks.add(Goldilocks.mul(acc, x), message[k]);
      }
      out[i] = acc;
      x = Goldilocks.mul(x, omega);
    }
    return out;
  }

  /**
   * The textbook transform: bit-reversal, then every radix-2 stage with canonical field operations
   * and the twiddles computed afresh, none skipped or specialized.
   */
  private static long[] plainEncoding(long[] message, int n) {
    int logN = Ntt.log2(n);
    long[] a = new long[n];
    for (int i = 0; i < message.length; i++) {
      a[logN == 0 ? 0 : Integer.reverse(i) >>> (32 - logN)] = message[i];
    }
    for (int half = 1; half < n; half <<= 1) {
      long w = Goldilocks.rootOfUnity(Integer.numberOfTrailingZeros(half) + 1);
      for (int start = 0; start < n; start += 2 * half) {
        long t = 1;
        for (int j = 0; j < half; j++) {
          long u = a[start + j], v = Goldilocks.mul(a[start + j + half], t);
          a[start + j] = Goldilocks.add(u, v);
          a[start + j + half] = Goldilocks.sub(u, v);
          t = Goldilocks.mul(t, w);
        }
      }
    }
    return a;
  }

  /**
   * The in-place encoding (lazy stages, products by 1 and ω_4 skipped, first stage read from the
   * message) equals the plain evaluation, canonical, on random and edge-valued messages of every
   * size up to 2^9 and rate 1/1 to 1/8.
   */
  @Test
  void inPlaceEncodingEqualsNaiveEvaluationOnEdgeValues() {
    var rnd = new SplittableRandom(20);
    for (int logM = 0; logM <= 9; logM++) {
      for (int logBlowup = 0; logBlowup <= 3; logBlowup++) {
        for (int kind = 0; kind <= 4; kind++) {
          int m = 1 << logM, n = m << logBlowup;
          long[] message = edgeMessage(m, kind, rnd);
          long[] encoded = java.util.Arrays.copyOf(message, n);
          Ntt.encodeInPlace(encoded, m);
          assertThat(encoded)
              .as("m = %d, n = %d, kind %d", m, n, kind)
              .containsExactly(naiveEncoding(message, n));
          long[] forward = java.util.Arrays.copyOf(message, n);
          Ntt.forward(forward);
          assertThat(forward).as("forward, m = %d, n = %d", m, n).containsExactly(encoded);
        }
      }
    }
  }

  /**
   * The witness rows' shape, 2,048 coefficients to 4,096 evaluations (and 1,024 to 4,096, the
   * registered matrices' rate): the in-place encoding equals the textbook transform on seeded rows
   * of random and edge values, one row also the naive evaluation; the inverse recovers the message.
   */
  @Test
  void witnessRowEncodingEqualsPlainTransform() {
    var rnd = new SplittableRandom(21);
    for (int m : new int[] {1024, 2048}) {
      int n = 4096;
      for (int row = 0; row < 12; row++) {
        long[] message = edgeMessage(m, row % 5, rnd);
        long[] encoded = java.util.Arrays.copyOf(message, n);
        Ntt.encodeInPlace(encoded, m);
        long[] plain = plainEncoding(message, n);
        assertThat(encoded).as("m = %d, row %d", m, row).containsExactly(plain);
        if (row == 3) {
          assertThat(encoded).containsExactly(naiveEncoding(message, n));
        }
        Ntt.inverse(encoded);
        assertThat(java.util.Arrays.copyOf(encoded, m)).containsExactly(message);
        assertThat(java.util.Arrays.copyOfRange(encoded, m, n)).containsOnly(0L);
      }
    }
  }

  /** x·2^48 by shifts equals the multiplication, on edge and random 64-bit values. */
  @Test
  void timesOmega4EqualsMultiplication() {
    var rnd = new SplittableRandom(22);
    assertThat(Goldilocks.rootOfUnity(2)).isEqualTo(1L << 48);
    for (long x : EDGES) {
      assertThat(Ntt.timesOmega4(x)).isEqualTo(Goldilocks.mul(x, 1L << 48));
      assertThat(Ntt.timesOmega4(-1L - x)).isEqualTo(Goldilocks.mul(-1L - x, 1L << 48));
    }
    for (int i = 0; i < 10_000; i++) {
      long x = rnd.nextLong();
      assertThat(Ntt.timesOmega4(x)).isEqualTo(Goldilocks.mul(x, 1L << 48));
    }
  }

  /**
   * The lazy sum and difference of any 64-bit u and a canonical v are congruent to the exact ones
   * (checked against BigInteger), at the carry and borrow boundaries and on random values.
   */
  @Test
  void lazyAdditionAndSubtractionAreCongruent() {
    var rnd = new SplittableRandom(23);
    long[] us = {0, 1, -1L, -2L, Goldilocks.P, Goldilocks.P - 1, 1L << 63, (1L << 63) - 1};
    for (int i = 0; i < 20_000; i++) {
      long u = i < us.length * EDGES.length ? us[i % us.length] : rnd.nextLong();
      long v = i < us.length * EDGES.length ? EDGES[i / us.length] : randomResidue(rnd);
      BigInteger bu = new BigInteger(Long.toUnsignedString(u)), bv = big(v);
      assertThat(big(Goldilocks.reduce64(Ntt.lazyAdd(u, v))))
          .isEqualTo(bu.add(bv).mod(FieldReference.P));
      assertThat(big(Goldilocks.reduce64(Ntt.lazySub(u, v))))
          .isEqualTo(bu.subtract(bv).mod(FieldReference.P));
    }
  }
}
