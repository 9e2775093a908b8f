package io.vouch.onnx.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IntegerEngineTest {
  static LongStream seeds() {
    return LongStream.range(1, 26);
  }

  static IntegerModel randomModel(SplittableRandom rnd) {
    int depth = rnd.nextInt(1, 4);
    int width = rnd.nextInt(1, 20);
    List<DenseLayer> layers = new ArrayList<>();
    for (int l = 0; l < depth; l++) {
      int out = l == depth - 1 ? rnd.nextInt(1, 6) : rnd.nextInt(1, 20);
      byte[] w = new byte[out * width];
      rnd.nextBytes(w);
      int[] b = rnd.ints(out, -5000, 5000).toArray();
      LayerOutput o =
          l == depth - 1
              ? new LayerOutput.Logits()
              : new LayerOutput.Requantized(
                  rnd.nextLong(1, 1 << 20),
                  rnd.nextInt(14, 30),
                  rnd.nextBoolean() ? Activation.RELU : Activation.CLAMP);
      layers.add(new DenseLayer(out, width, w, b, o));
      width = out;
    }
    return new IntegerModel(new InputQuantization(0.05, 0), layers, 0.01);
  }

  /** Reference in BigInteger with an explicit round-half-up division. */
  private static long[] reference(IntegerModel m, byte[] x) {
    BigInteger[] a = new BigInteger[x.length];
    for (int i = 0; i < x.length; i++) {
      a[i] = BigInteger.valueOf(x[i]);
    }
    for (DenseLayer layer : m.layers()) {
      BigInteger[] z = new BigInteger[layer.outputs()];
      for (int i = 0; i < z.length; i++) {
        BigInteger s = BigInteger.valueOf(layer.biasAt(i));
        for (int k = 0; k < layer.inputs(); k++) {
          s = s.add(BigInteger.valueOf(layer.weight(i, k)).multiply(a[k]));
        }
        z[i] = s;
      }
      if (layer.output() instanceof LayerOutput.Requantized rq) {
        BigInteger den = BigInteger.ONE.shiftLeft(rq.shift());
        for (int i = 0; i < z.length; i++) {
          // floor(ε z / 2^s + 1/2) = floor((2 ε z + 2^s) / 2^(s+1))
          BigInteger num = z[i].multiply(BigInteger.valueOf(2 * rq.multiplier())).add(den);
          BigInteger[] qr = num.divideAndRemainder(den.shiftLeft(1));
          BigInteger q = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
          long c =
              Math.max(rq.activation().low(), Math.min(rq.activation().high(), q.longValueExact()));
          z[i] = BigInteger.valueOf(c);
        }
      }
      a = z;
    }
    return java.util.Arrays.stream(a).mapToLong(BigInteger::longValueExact).toArray();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void logitsMatchTheBigIntegerReference(long seed) {
    var rnd = new SplittableRandom(seed);
    IntegerModel m = randomModel(rnd);
    byte[] x = new byte[m.inputSize()];
    rnd.nextBytes(x);
    assertThat(IntegerEngine.run(m, x)).containsExactly(reference(m, x));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void traceKeepsTheAccumulatorsAndTheirRequantizedOutputs(long seed) {
    var rnd = new SplittableRandom(seed);
    IntegerModel m = randomModel(rnd);
    byte[] x = new byte[m.inputSize()];
    rnd.nextBytes(x);
    Trace t = IntegerEngine.trace(m, x);
    for (int l = 0; l < m.layers().size() - 1; l++) {
      var rq = (LayerOutput.Requantized) m.layers().get(l).output();
      int id = m.tensorOf(l);
      long[] z = t.accumulatorsOf(id);
      for (int i = 0; i < z.length; i++) {
        BigInteger scaled =
            BigInteger.valueOf(rq.multiplier())
                .multiply(BigInteger.valueOf(z[i]))
                .add(BigInteger.valueOf(rq.roundingOffset()));
        long q = scaled.shiftRight(rq.shift()).longValueExact();
        assertThat(t.int8(id)[i]).isEqualTo(rq.activation().apply(q));
      }
    }
  }

  @Test
  void reluClampsNegativesToZeroAndLargeValuesTo127() {
    assertThat(Activation.RELU.apply(-5)).isEqualTo((byte) 0);
    assertThat(Activation.RELU.apply(1000)).isEqualTo((byte) 127);
    assertThat(Activation.RELU.apply(42)).isEqualTo((byte) 42);
    assertThat(Activation.CLAMP.apply(-1000)).isEqualTo((byte) -128);
  }

  @Test
  void requantizationRoundsHalfUp() {
    // ε = 1, s = 1: q = (z + 1) >> 1, so 3/2 → 2 and −3/2 → −1
    var hidden =
        new DenseLayer(
            1,
            1,
            new byte[] {1},
            new int[] {0},
            new LayerOutput.Requantized(1, 1, Activation.CLAMP));
    var last = new DenseLayer(1, 1, new byte[] {1}, new int[] {0}, new LayerOutput.Logits());
    var m = new IntegerModel(new InputQuantization(1, 0), List.of(hidden, last), 1);
    assertThat(IntegerEngine.run(m, new byte[] {3})).containsExactly(2);
    assertThat(IntegerEngine.run(m, new byte[] {-3})).containsExactly(-1);
  }

  @Test
  void lastLayerMustOutputLogits() {
    var layer =
        new DenseLayer(
            1,
            1,
            new byte[] {1},
            new int[] {0},
            new LayerOutput.Requantized(1, 1, Activation.RELU));
    assertThatThrownBy(() -> new IntegerModel(new InputQuantization(1, 0), List.of(layer), 1))
        .hasMessageContaining("must output logits");
  }

  @Test
  void hiddenLayerMustRequantize() {
    var logits = new DenseLayer(1, 1, new byte[] {1}, new int[] {0}, new LayerOutput.Logits());
    assertThatThrownBy(
            () -> new IntegerModel(new InputQuantization(1, 0), List.of(logits, logits), 1))
        .hasMessageContaining("hidden layer 0 must requantize");
  }

  @Test
  void mismatchedLayerWidthsAreRefused() {
    var a =
        new DenseLayer(
            3, 2, new byte[6], new int[3], new LayerOutput.Requantized(1, 4, Activation.RELU));
    var b = new DenseLayer(1, 2, new byte[2], new int[1], new LayerOutput.Logits());
    assertThatThrownBy(() -> new IntegerModel(new InputQuantization(1, 0), List.of(a, b), 1))
        .hasMessageContaining("layer 1 takes 2 inputs but layer 0 produces 3");
  }

  @Test
  void requantizationThatCouldWrapIsRefused() {
    var a =
        new DenseLayer(
            1,
            1,
            new byte[] {127},
            new int[] {Integer.MAX_VALUE},
            new LayerOutput.Requantized((1L << 31) - 1, 8, Activation.RELU));
    var b = new DenseLayer(1, 1, new byte[1], new int[1], new LayerOutput.Logits());
    assertThatThrownBy(() -> new IntegerModel(new InputQuantization(1, 0), List.of(a, b), 1))
        .hasMessageContaining("could exceed 2^62");
  }

  @Test
  void weightCountMustMatchTheShape() {
    assertThatThrownBy(
            () -> new DenseLayer(2, 3, new byte[5], new int[2], new LayerOutput.Logits()))
        .hasMessageContaining("expected outputs×inputs");
  }

  @Test
  void requantizationParametersAreRangeChecked() {
    assertThatThrownBy(() -> new LayerOutput.Requantized(0, 4, Activation.RELU))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> new LayerOutput.Requantized(1, 63, Activation.RELU))
        .hasMessageContaining("shift");
  }

  @Test
  void inputQuantizationRoundsAndSaturates() {
    var q = new InputQuantization(0.5, 3);
    assertThat(q.quantize(new float[] {1.0f, -100f, 100f, 0.26f})).containsExactly(5, -128, 127, 4);
  }

  @Test
  void inputOfTheWrongLengthIsRefused() {
    var m = randomModel(new SplittableRandom(3));
    assertThatThrownBy(() -> IntegerEngine.run(m, new byte[m.inputSize() + 1]))
        .hasMessageContaining("int8 inputs");
  }
}
