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
}
