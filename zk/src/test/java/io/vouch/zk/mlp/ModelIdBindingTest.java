package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.benchmodels.OpGraphs;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.ConvOp;
import io.vouch.onnx.quant.ElementwiseOp;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.MaxPoolOp;
import io.vouch.onnx.quant.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The model id is the circuit: a graph with one weight, one edge, one constant or one window
 * parameter changed has another id, and a proof made with the changed graph does not verify under
 * the original's key — whatever the changed graph computes, a prover cannot pass it off as the
 * registered model.
 */
class ModelIdBindingTest {
  static IntegerModel residual;
  static ZkModel original;
  static byte[] x;
  static final byte[] REQUEST = RandomModels.requestId(99);

  @BeforeAll
  static void compile() {
    var m = OpGraphs.RESIDUAL_ADD.build(4);
    original = ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 64), 0.9).model();
    residual = original.integerModel();
    x = original.quantizeInput(m.inputs(2, 1)[0]);
  }

  private static IntegerModel withOp(int index, UnaryOperator<IntegerOp> change) {
    List<IntegerOp> ops = new ArrayList<>(residual.ops());
    ops.set(index, change.apply(ops.get(index)));
    return new IntegerModel(residual.inputs(), ops, residual.outputs());
  }

  private static int first(Class<?> kind) {
    for (int j = 0; j < residual.ops().size(); j++) {
      if (kind.isInstance(residual.ops().get(j))) {
        return j;
      }
    }
    throw new IllegalStateException("no " + kind.getSimpleName());
  }

  private static void refusedUnderTheOriginalId(IntegerModel changed) {
    ZkModel other = ZkModel.register(changed);
    assertThat(other.modelId()).isNotEqualTo(original.modelId());
    ProvedInference proved = ZkProver.prove(other, REQUEST, x);
    assertThat(
            ZkVerifier.isValid(
                original.verifyingKey(), REQUEST, x, proved.logits(), proved.proof().toBytes()))
        .isFalse();
  }

  @Test
  void theOriginalProofVerifies() {
    ProvedInference proved = ZkProver.prove(original, REQUEST, x);
    assertThat(
            ZkVerifier.isValid(
                original.verifyingKey(), REQUEST, x, proved.logits(), proved.proof().toBytes()))
        .isTrue();
  }

  @Test
  void oneChangedWeightIsRefused() {
    int j = first(ConvOp.class);
    refusedUnderTheOriginalId(
        withOp(
            j,
            op -> {
              ConvOp c = (ConvOp) op;
              byte[] w = c.weights();
              w[3] ^= 1;
              return new ConvOp(
                  c.input(),
                  c.inputShape(),
                  c.window(),
                  c.groups(),
                  c.outChannels(),
                  w,
                  c.bias(),
                  c.requantization());
            }));
  }

  @Test
  void oneChangedEdgeIsRefused() {
    // the residual Add reads the branch and the stem; make it read the stem twice
    int j = first(ElementwiseOp.class);
    refusedUnderTheOriginalId(
        withOp(
            j,
            op -> {
              ElementwiseOp e = (ElementwiseOp) op;
              int[] in = e.inputs();
              in[1] = in[0];
              return new ElementwiseOp(
                  in, e.outputShape(), e.multipliers(), e.bias(), e.requantization());
            }));
  }

  @Test
  void oneChangedBiasIsRefused() {
    int j = first(ConvOp.class);
    refusedUnderTheOriginalId(
        withOp(
            j,
            op -> {
              ConvOp c = (ConvOp) op;
              long[] b = c.bias();
              b[0] += 1;
              return new ConvOp(
                  c.input(),
                  c.inputShape(),
                  c.window(),
                  c.groups(),
                  c.outChannels(),
                  c.weights(),
                  b,
                  c.requantization());
            }));
  }

  @Test
  void oneChangedMultiplierIsRefused() {
    int j = first(ElementwiseOp.class);
    refusedUnderTheOriginalId(
        withOp(
            j,
            op -> {
              ElementwiseOp e = (ElementwiseOp) op;
              long[][] m = e.multipliers();
              m[0][0] += 1;
              return new ElementwiseOp(
                  e.inputs(), e.outputShape(), m, e.bias(), e.requantization());
            }));
  }

  @Test
  void oneChangedPaddingIsRefused() {
    // the same weights read the input at other positions
    int j = first(ConvOp.class);
    IntegerOp op = residual.ops().get(j);
    ConvOp c = (ConvOp) op;
    Window w = c.window();
    Window shifted =
        new Window(
            w.kernelHeight(),
            w.kernelWidth(),
            w.strideHeight(),
            w.strideWidth(),
            w.dilationHeight(),
            w.dilationWidth(),
            w.padTop() + 1,
            w.padLeft(),
            w.padBottom() - 1,
            w.padRight());
    refusedUnderTheOriginalId(
        withOp(
            j,
            o ->
                new ConvOp(
                    c.input(),
                    c.inputShape(),
                    shifted,
                    c.groups(),
                    c.outChannels(),
                    c.weights(),
                    c.bias(),
                    c.requantization())));
    assertThat(residual.ops().stream().noneMatch(MaxPoolOp.class::isInstance)).isTrue();
  }
}
