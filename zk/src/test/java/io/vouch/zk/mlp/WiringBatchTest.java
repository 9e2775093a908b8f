package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.ModelOutput;
import io.vouch.onnx.quant.TensorShape;
import io.vouch.onnx.quant.WiringOp;
import io.vouch.zk.InvalidProofException;
import io.vouch.zk.field.Goldilocks;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wiring reads of one committed tensor share one sum-check (proof format 12), their claims batched
 * with a random μ drawn after all of them are sent. A prover that moves part of one read's claim to
 * another read of the same tensor keeps the op's total (so the output check passes) and the plain
 * sum of the claims; only μ tells them apart, and the proof is refused. The same model's honest
 * proof verifies.
 */
class WiringBatchTest {
  private static final byte[] REQUEST = RandomModels.requestId(97);

  /** An input, a requantized dense layer h, and a Concat(h, h): two wiring reads of h. */
  private static final ZkModel MODEL;

  private static final byte[] X = RandomModels.input(8, 12);

  static {
    IntegerModel mlp = RandomModels.mlp(8, 12, 24, 2);
    IntegerOp hidden = mlp.ops().get(0); // int8 outputs (requantized)
    int n = hidden.outputShape().size();
    int[] sourceInput = new int[2 * n], sourceIndex = new int[2 * n];
    for (int i = 0; i < 2 * n; i++) {
      sourceInput[i] = i / n;
      sourceIndex[i] = (i * 7) % n; // each half a permutation of h
    }
    WiringOp twice =
        new WiringOp(new int[] {1, 1}, TensorShape.vector(2 * n), sourceInput, sourceIndex);
    MODEL =
        ZkModel.register(
            new IntegerModel(
                mlp.inputs(),
                List.of(hidden, twice),
                List.of(new ModelOutput("twice", 2, 1.0 / 127))));
  }

  @Test
  void twoReadsOfOneTensorShareOneSumCheckAndTheHonestProofVerifies() {
    assertThat(MODEL.plan().wiringReaders[1]).isEqualTo(2);
    ProvedInference p = ZkProver.prove(MODEL, REQUEST, X);
    ZkVerifier.verify(MODEL.verifyingKey(), REQUEST, X, p.logits(), p.proof().toBytes());
  }

  @Test
  void aClaimMovedFromOneReadToTheOtherIsRefused() {
    ProvedInference p =
        ZkProver.proveLying(
            MODEL,
            REQUEST,
            X,
            (label, values) -> {
              if (label.equals("wiring/partial-sums")) {
                // the two reads' claims (K elements at 0 and 2): their sum, the output, unchanged
                values[0] = Goldilocks.add(values[0], 5);
                values[2] = Goldilocks.sub(values[2], 5);
              }
              return values;
            });
    assertThatThrownBy(() ->
            ZkVerifier.verify(MODEL.verifyingKey(), REQUEST, X, p.logits(), p.proof().toBytes()))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("batched with the other wiring reads of its tensor");
  }
}
