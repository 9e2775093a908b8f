package io.vouch.onnx.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The integer softmax's division by a per-row reciprocal R = ⌊Q·2^K/E⌋ (K one bit above the largest
 * row sum): on seeded random rows of every shape the quantizer writes — peaked, flat, long — each
 * output is within ½ + 1/(2L) of the exact Q·e/E, the reciprocal is at least 2·Q, and a row's
 * values before the last rounding, Σ e·R/2^K = E·R/2^K, sum to within ½ of Q (a reciprocal with too
 * few bits scales whole rows down: K = 13 at L = 128 can halve them).
 */
class SoftmaxDivisionTest {
  private static long[] exponentials(double scale) {
    long[] exp = new long[256];
    for (int d = 0; d < exp.length; d++) {
      exp[d] = Math.round(4096 * Math.exp(-scale * d));
    }
    return exp;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7, 36, 128, 384, 4096})
  void eachOutputIsWithinHalfAStepAndOneOverTwoLOfTheExactQuotient(int length) {
    SplittableRandom rnd = new SplittableRandom(length);
    for (int trial = 0; trial < 40; trial++) {
      long[] exp = exponentials(0.005 + 0.2 * rnd.nextDouble());
      int rows = 3;
      SoftmaxOp s = new SoftmaxOp(0, new TensorShape(rows, 1, length), 1, rows, length, exp, 127);
      assertThat(s.reciprocalShift())
          .isEqualTo(65 - Long.numberOfLeadingZeros((long) length * 4096 - 1));
      byte[] x = new byte[rows * length];
      int spread = 1 + rnd.nextInt(255); // flat rows (spread 1) to peaked ones
      for (int i = 0; i < x.length; i++) {
        x[i] = (byte) (127 - rnd.nextInt(spread));
      }
      byte[] y = IntegerEngine.softmax(s, x);
      for (int r = 0; r < rows; r++) {
        int m = Byte.MIN_VALUE;
        for (int j = 0; j < length; j++) {
          m = Math.max(m, x[r * length + j]);
        }
        long sum = 0;
        for (int j = 0; j < length; j++) {
          sum += exp[m - x[r * length + j]];
        }
        long reciprocal = s.reciprocal(sum);
        assertThat(reciprocal).isGreaterThanOrEqualTo(2L * 127);
        assertThat(127.0 - (double) sum * reciprocal / (1L << s.reciprocalShift()))
            .isBetween(0.0, 0.5);
        for (int j = 0; j < length; j++) {
          double exact = 127.0 * exp[m - x[r * length + j]] / sum;
          assertThat(Math.abs(y[r * length + j] - exact))
              .as("row %d value %d of %d", r, j, length)
              .isLessThan(0.5 + 1.0 / (2 * length) + 1e-12);
          assertThat(y[r * length + j]).isBetween((byte) 0, (byte) 127);
        }
      }
    }
  }
}
