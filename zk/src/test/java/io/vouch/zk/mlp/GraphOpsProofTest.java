package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.OpGraphs;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.zk.InvalidProofException;
import io.vouch.zk.field.Goldilocks;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every operator form, compiled from ONNX in a classifier built around it (agreeing with ONNX
 * Runtime), proves and verifies; a wrong output is refused, and so is a prover that commits a wrong
 * value for the output of any one op, whatever its kind.
 */
class GraphOpsProofTest {
  private record Compiled(ZkModel zk, byte[] x, byte[] request, ProvedInference proved) {}

  private static Compiled prove(OpGraphs op) {
    ClassifierModel m = op.build(21);
    ZkModel zk = ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 64), 0.9).model();
    byte[] x = zk.quantizeInput(m.inputs(5, 1)[0]);
    byte[] request = RandomModels.requestId(op.ordinal());
    return new Compiled(zk, x, request, ZkProver.prove(zk, request, x));
  }

  @ParameterizedTest
  @EnumSource(OpGraphs.class)
  void provesAndVerifies(OpGraphs op) {
    Compiled c = prove(op);
    assertThat(c.proved().logits())
        .containsExactly(IntegerEngine.run(c.zk().integerModel(), c.x()));
    ZkVerifier.verify(
        c.zk().verifyingKey(),
        c.request(),
        c.x(),
        c.proved().logits(),
        c.proved().proof().toBytes());
  }

  @ParameterizedTest
  @EnumSource(OpGraphs.class)
  void aWrongOutputIsRefused(OpGraphs op) {
    Compiled c = prove(op);
    long[] wrong = c.proved().logits();
    wrong[wrong.length - 1] -= 1;
    assertThatThrownBy(() ->
            ZkVerifier.verify(
                c.zk().verifyingKey(), c.request(), c.x(), wrong, c.proved().proof().toBytes()))
        .isInstanceOf(InvalidProofException.class);
  }

  /**
   * The transformer path's ops commit more than their output (differences, exponentials, division
   * remainders' limbs, row maxima and statistics): a prover that changes any one of them is caught.
   */
  @ParameterizedTest
  @EnumSource(
      value = OpGraphs.class,
      names = {
        "SOFTMAX",
        "ATTENTION",
        "MATMUL_BATCHED",
        "MUL_ACTIVATIONS",
        "GELU",
        "MATMUL_ROWS",
        "LAYERNORM",
        "LAYERNORM_DECOMPOSED"
      })
  void aWrongValueOfAnyVectorOfTheTransformerOpsIsRefused(OpGraphs op) {
    Compiled c = prove(op);
    WitnessPlan plan = c.zk().plan();
    int checked = 0;
    for (int j = 0; j < plan.model.ops().size(); j++) {
      IntegerOp kind = plan.model.ops().get(j);
      if (!(kind instanceof io.vouch.onnx.quant.SoftmaxOp
          || kind instanceof io.vouch.onnx.quant.MatMulOp
          || kind instanceof io.vouch.onnx.quant.ProductOp
          || kind instanceof io.vouch.onnx.quant.TableOp
          || kind instanceof io.vouch.onnx.quant.LayerNormOp
          || (kind instanceof io.vouch.onnx.quant.DenseOp d && d.rows() > 1))) {
        continue;
      }
      for (int k = 0; k < plan.vectors[j].length; k++) {
        WitnessPlan.Vec v = plan.vectors[j][k];
        // a position holding a value (padding positions no relation reads may hold anything)
        WitnessPlan.Layout l =
            k < WitnessPlan.kinds(kind)
                ? plan.layoutOf(plan.model.tensorOf(j))
                : WitnessPlan.rowLayout(kind, plan.logWidth);
        int at = v.firstRow() * plan.width + l.physical((j * 5 + k * 3) % l.size());
        UnaryOperator<long[]> tamper =
            w -> {
              w[at] = Goldilocks.add(w[at], 1);
              return w;
            };
        ProvedInference cheat = ZkProver.prove(c.zk(), c.request(), c.x(), tamper);
        assertThat(
                ZkVerifier.isValid(
                    c.zk().verifyingKey(),
                    c.request(),
                    c.x(),
                    cheat.logits(),
                    cheat.proof().toBytes()))
            .as(op + ": op " + j + " (" + kind.kind() + "), vector " + k + " changed")
            .isFalse();
        checked++;
      }
    }
    assertThat(checked).isPositive();
  }

  @ParameterizedTest
  @EnumSource(OpGraphs.class)
  void aWrongValueOfAnyOpsOutputIsRefused(OpGraphs op) {
    Compiled c = prove(op);
    WitnessPlan plan = c.zk().plan();
    for (int j = 0; j < plan.model.ops().size(); j++) {
      if (plan.vectors[j].length == 0) {
        continue; // the logits: public, checked above
      }
      IntegerOp kind = plan.model.ops().get(j);
      int at =
          plan.vectors[j][0].firstRow() * plan.width
              + (j * 7) % plan.model.ops().get(j).outputShape().size();
      UnaryOperator<long[]> tamper =
          w -> {
            w[at] = Goldilocks.add(w[at], 1);
            return w;
          };
      ProvedInference cheat = ZkProver.prove(c.zk(), c.request(), c.x(), tamper);
      assertThat(
              ZkVerifier.isValid(
                  c.zk().verifyingKey(),
                  c.request(),
                  c.x(),
                  cheat.logits(),
                  cheat.proof().toBytes()))
          .as(op + ": op " + j + " (" + kind.kind() + ") with a changed output value")
          .isFalse();
    }
  }
}
