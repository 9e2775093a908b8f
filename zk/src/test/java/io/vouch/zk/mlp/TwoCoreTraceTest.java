package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.benchmodels.ConvNets;
import io.vouch.benchmodels.SequenceModels;
import io.vouch.benchmodels.TokenClassifier;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.Ranges;
import io.vouch.onnx.quant.Trace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The prover runs the reference engine's dense, convolution, activation-product and requantization
 * loops in ranges on its two cores ({@link ZkProver#TWO_CORES}). Its trace must be the reference
 * engine's, value for value: here with the prover's runner and with one that cuts every op into
 * ranges of random sizes and runs them in a shuffled order, against the engine's serial trace.
 */
class TwoCoreTraceTest {
  /** Ranges of 1–7 items, run in a seeded random order; counts the ops it was given. */
  private static final class Shuffled implements Ranges {
    final Random rnd = new Random(17);
    final AtomicInteger ops = new AtomicInteger();

    @Override
    public void run(int n, Range work) {
      ops.incrementAndGet();
      List<int[]> pieces = new ArrayList<>();
      for (int from = 0; from < n; ) {
        int to = Math.min(n, from + 1 + rnd.nextInt(7));
        pieces.add(new int[] {from, to});
        from = to;
      }
      Collections.shuffle(pieces, rnd);
      for (int[] p : pieces) {
        work.run(p[0], p[1]);
      }
    }
  }

  private static void sameTrace(IntegerModel model, byte[] input) {
    Trace serial = IntegerEngine.trace(model, input);
    Shuffled shuffled = new Shuffled();
    for (Ranges ranges : new Ranges[] {ZkProver.TWO_CORES, shuffled}) {
      Trace split = IntegerEngine.trace(model, input, ranges);
      int tensors = model.inputs().size() + model.ops().size();
      for (int id = model.inputs().size(); id < tensors; id++) {
        assertThat(split.accumulatorsOf(id))
            .as("accumulators of tensor %d", id)
            .isEqualTo(serial.accumulatorsOf(id));
        assertThat(split.int8(id)).as("values of tensor %d", id).isEqualTo(serial.int8(id));
      }
      assertThat(split.logits()).isEqualTo(serial.logits());
    }
    assertThat(shuffled.ops.get()).as("ops large enough to be split").isPositive();
  }

  @Test
  void convolutionsAndDenseLayersOfTheLargerCnn() {
    var m = ConvNets.cnn264k(5);
    ZkModel zk = ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 16), 0.9).model();
    sameTrace(zk.integerModel(), zk.quantizeInput(m.inputs(9, 1)[0]));
  }

  @Test
  void denseLayersAndActivationProductsOfTheTransformer() {
    TokenClassifier t = SequenceModels.transformerEncoder(7);
    ZkModel zk = ZkCompiler.compile(OnnxModelFile.parse(t.onnx()), t.inputs(1, 16), 0.9).model();
    sameTrace(zk.integerModel(), zk.quantizeInput(t.inputs(3, 1)[0]));
  }
}
