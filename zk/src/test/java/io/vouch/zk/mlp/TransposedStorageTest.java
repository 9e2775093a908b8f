package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.benchmodels.SequenceModels;
import io.vouch.benchmodels.TokenClassifier;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.TableOp;
import io.vouch.onnx.quant.Trace;
import io.vouch.onnx.quant.WiringOp;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Multilinear;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sequence tensors stored transposed (format 11): a [C, S] tensor with C a power of two and S not
 * is committed as s·C + c, C·S positions with no gap, instead of C strides of T = nextPow2(S). The
 * stored vector's multilinear is the layout's at the rotated point; the small BERT-style encoder
 * stores its sequence tensors so, in fewer rows, proves and verifies (its proof tests), and a
 * changed value or a filled gap of a transposed vector is refused.
 */
class TransposedStorageTest {
  static TokenClassifier encoder;
  static ZkCompiler.Compiled zk;
  static final byte[] REQUEST = RandomModels.requestId(15);

  @BeforeAll
  static void compile() {
    encoder = SequenceModels.encoder(WideEncoderProofTest.SMALL, 7);
    zk = ZkCompiler.compile(OnnxModelFile.parse(encoder.onnx()), encoder.inputs(1, 64), 0.99);
  }

  /** C channels, S values each, stride T, domain 2^n = C·T (plus extra coordinates of z). */
  @ParameterizedTest
  @CsvSource({"8, 10, 16, 0", "16, 160, 256, 0", "4, 3, 4, 2", "128, 384, 512, 0", "2, 5, 8, 3"})
  void theStoredVectorsMultilinearIsTheLayoutsAtTheRotatedPoint(
      int channels, int spatial, int stride, int extra) {
    SplittableRandom rnd = new SplittableRandom(channels * 1_000L + spatial);
    int strideBits = Integer.numberOfTrailingZeros(stride);
    int n = Integer.numberOfTrailingZeros(channels) + strideBits;
    long[] layout = new long[1 << n];
    long[] stored = new long[1 << n];
    for (int c = 0; c < channels; c++) {
      for (int s = 0; s < spatial; s++) {
        long value = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
        layout[c * stride + s] = value;
        stored[s * channels + c] = value; // written out here, not by the code under test
      }
    }
    WitnessPlan.Vec v = new WitnessPlan.Vec(0, 1, n, strideBits);
    for (int trial = 0; trial < 5; trial++) {
      GoldilocksExt2[] z = new GoldilocksExt2[n + extra];
      for (int i = 0; i < z.length; i++) {
        z[i] =
            new GoldilocksExt2(
                Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P),
                Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P));
      }
      GoldilocksExt2 atLayout = Multilinear.evaluate(pad(layout, z.length), z);
      GoldilocksExt2 atStored = Multilinear.evaluate(pad(stored, z.length), v.stored(z));
      assertThat(atStored).isEqualTo(atLayout);
      // without the rotation the stored vector is another multilinear
      assertThat(Multilinear.evaluate(pad(stored, z.length), z)).isNotEqualTo(atLayout);
    }
  }

  private static long[] pad(long[] values, int bits) {
    return java.util.Arrays.copyOf(values, 1 << bits);
  }

  @Test
  void theEncodersSequenceTensorsAreStoredTransposedInFewerRows() {
    WitnessPlan plan = zk.model().plan();
    int width = plan.width;
    byte[] x = zk.model().quantizeInput(encoder.inputs(5, 1)[0]);
    Trace trace = IntegerEngine.trace(plan.model, x);
    long[] w = Witness.build(plan, trace);
    int transposed = 0;
    for (int j = 0; j < plan.model.ops().size(); j++) {
      int id = plan.model.tensorOf(j);
      WitnessPlan.Layout l = plan.layoutOf(id);
      if (plan.vectors[j].length == 0 || !l.transposed()) {
        continue;
      }
      transposed++;
      int c = l.channels(), s = l.spatial(), t = l.stride();
      assertThat(Integer.bitCount(c)).isEqualTo(1);
      assertThat(s).isLessThan(t);
      WitnessPlan.Vec y = plan.vectors[j][0];
      assertThat(y.rows()).isEqualTo((c * s + width - 1) / width);
      assertThat(y.rows()).isLessThan(c * t / width);
      assertThat(y.rotation()).isEqualTo(Integer.numberOfTrailingZeros(t));
      // the int8 output at s·C + c of its rows
      byte[] values = trace.int8(id);
      for (int i = 0; i < values.length; i++) {
        int at = y.firstRow() * width + (i % s) * c + i / s;
        assertThat(w[at]).isEqualTo(Goldilocks.fromSigned(values[i]));
      }
    }
    assertThat(transposed).isGreaterThanOrEqualTo(6);
    // rows of a power-of-two width (the attention scores over 16 tokens) stay in layout order
    boolean kept = false;
    for (int j = 0; j < plan.model.ops().size(); j++) {
      WitnessPlan.Layout l = plan.layoutOf(plan.model.tensorOf(j));
      kept |= plan.vectors[j].length > 0 && l.spatial() == l.stride() && !l.transposed();
    }
    assertThat(kept).isTrue();
  }

  /**
   * For an op of each kind whose output is stored transposed — requantizing (its a, tied to v by
   * the clamp lookup), a function table's y (its lookup's padding column over the stored order), a
   * wiring's y (its relation at r*) — a changed value and a 1 written into the gap after its C·S
   * stored values are refused.
   */
  @Test
  void aChangedValueOrAFilledGapOfATransposedVectorIsRefused() {
    ZkModel m = zk.model();
    WitnessPlan plan = m.plan();
    byte[] x = m.quantizeInput(encoder.inputs(6, 1)[0]);
    List<Integer> picked = new ArrayList<>();
    boolean requant = false, table = false, wiring = false;
    for (int j = 0; j < plan.model.ops().size(); j++) {
      IntegerOp op = plan.model.ops().get(j);
      WitnessPlan.Layout l = plan.layoutOf(plan.model.tensorOf(j));
      if (plan.vectors[j].length == 0 || !l.transposed() || l.storedLength() % plan.width == 0) {
        continue;
      }
      if (!requant && plan.requantization(j) != null) {
        requant = picked.add(j);
      } else if (!table && op instanceof TableOp) {
        table = picked.add(j);
      } else if (!wiring && op instanceof WiringOp) {
        wiring = picked.add(j);
      }
    }
    assertThat(requant).as("a requantizing op stored transposed, with a gap").isTrue();
    assertThat(picked.size()).as("ops picked: " + picked).isGreaterThanOrEqualTo(2);
    for (int j : picked) {
      WitnessPlan.Layout l = plan.layoutOf(plan.model.tensorOf(j));
      WitnessPlan.Vec y = plan.vectors[j][0];
      int base = y.firstRow() * plan.width;
      int value = base + 3 * l.channels() + 1; // (c, s) = (1, 3)
      int gap = base + l.channels() * l.spatial();
      for (int at : new int[] {value, gap}) {
        UnaryOperator<long[]> tamper =
            w -> {
              w[at] = Goldilocks.add(w[at], 1);
              return w;
            };
        ProvedInference cheat = ZkProver.prove(m, REQUEST, x, tamper);
        assertThat(
                ZkVerifier.isValid(
                    m.verifyingKey(), REQUEST, x, cheat.logits(), cheat.proof().toBytes()))
            .as(plan.model.ops().get(j).kind() + " op " + j + ", position " + (at - base))
            .isFalse();
      }
    }
    ProvedInference honest = ZkProver.prove(m, REQUEST, x);
    assertThat(
            ZkVerifier.isValid(
                m.verifyingKey(), REQUEST, x, honest.logits(), honest.proof().toBytes()))
        .isTrue();
  }
}
