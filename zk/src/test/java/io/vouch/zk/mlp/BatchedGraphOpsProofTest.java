package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.OpGraphs;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.zk.InvalidProofException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every operator form batch proving takes ({@link BatchedModel}), in the classifier built around
 * it: a batch of 3 inputs gives each item's outputs of the single model, proves and verifies, and a
 * wrong output of the last item is refused. The forms it does not take yet are refused with their
 * op named.
 */
class BatchedGraphOpsProofTest {
  private static final int ITEMS = 3;

  /**
   * Forms with an op that is not batched yet: products of activations, a dense op over rows,
   * softmax, layer norms.
   */
  private static final Set<OpGraphs> NOT_BATCHED =
      EnumSet.of(
          OpGraphs.MUL_ACTIVATIONS,
          OpGraphs.MATMUL_ROWS,
          OpGraphs.MATMUL_ACTIVATIONS,
          OpGraphs.MATMUL_BATCHED,
          OpGraphs.SOFTMAX,
          OpGraphs.ATTENTION,
          OpGraphs.LAYERNORM,
          OpGraphs.LAYERNORM_DECOMPOSED);

  @ParameterizedTest
  @EnumSource(OpGraphs.class)
  void aBatchProvesEveryItemOrTheOpIsNamed(OpGraphs op) {
    ClassifierModel m = op.build(21);
    ZkModel single =
        ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 64), 0.9).model();
    IntegerModel model = single.integerModel();
    if (NOT_BATCHED.contains(op)) {
      assertThatThrownBy(() -> BatchedModel.of(model, ITEMS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("batch proving does not take op ");
      return;
    }
    ZkModel batch = ZkModel.register(BatchedModel.of(model, ITEMS));
    float[][] floats = m.inputs(5, ITEMS);
    int size = model.inputBytes();
    byte[] x = new byte[ITEMS * size];
    for (int n = 0; n < ITEMS; n++) {
      System.arraycopy(single.quantizeInput(floats[n]), 0, x, n * size, size);
    }
    byte[] request = RandomModels.requestId(op.ordinal());
    ProvedInference proved = ZkProver.prove(batch, request, x);
    int classes = model.outputSize();
    for (int n = 0; n < ITEMS; n++) {
      assertThat(Arrays.copyOfRange(proved.logits(), n * classes, (n + 1) * classes))
          .as("item " + n)
          .containsExactly(
              IntegerEngine.run(model, Arrays.copyOfRange(x, n * size, (n + 1) * size)));
    }
    byte[] proof = proved.proof().toBytes();
    ZkVerifier.verify(batch.verifyingKey(), request, x, proved.logits(), proof);
    long[] wrong = proved.logits();
    wrong[wrong.length - 1] -= 1;
    assertThatThrownBy(() -> ZkVerifier.verify(batch.verifyingKey(), request, x, wrong, proof))
        .isInstanceOf(InvalidProofException.class);
  }
}
