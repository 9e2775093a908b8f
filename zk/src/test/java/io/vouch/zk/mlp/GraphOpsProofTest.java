package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.build.ClassifierModel;
import io.vouch.onnx.build.OpGraphs;
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
