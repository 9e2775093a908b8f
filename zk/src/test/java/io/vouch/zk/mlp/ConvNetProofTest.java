package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.ConvNets;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.zk.InvalidProofException;
import org.junit.jupiter.api.Test;

/** The CNN test models, compiled from ONNX, prove and verify; a wrong output is refused. */
class ConvNetProofTest {
  private static void provesAndVerifies(ClassifierModel m) {
    ZkCompiler.Compiled compiled =
        ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 128), 0.99);
    ZkModel zk = compiled.model();
    byte[] x = zk.quantizeInput(m.inputs(9, 1)[0]);
    byte[] request = RandomModels.requestId(3);
    ProvedInference proved = ZkProver.prove(zk, request, x);
    assertThat(proved.logits()).containsExactly(IntegerEngine.run(zk.integerModel(), x));
    byte[] proof = proved.proof().toBytes();
    ZkVerifier.verify(zk.verifyingKey(), request, x, proved.logits(), proof);
    long[] wrong = proved.logits();
    wrong[0]++;
    assertThatThrownBy(() -> ZkVerifier.verify(zk.verifyingKey(), request, x, wrong, proof))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void lenet5ProvesAndVerifies() {
    provesAndVerifies(ConvNets.lenet5(5));
  }

  @Test
  void anyChangedByteOfALenetProofIsRejected() {
    ClassifierModel m = ConvNets.lenet5(5);
    ZkModel zk = ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 128), 0.99).model();
    byte[] x = zk.quantizeInput(m.inputs(9, 1)[0]);
    byte[] request = RandomModels.requestId(4);
    ProvedInference proved = ZkProver.prove(zk, request, x);
    byte[] proof = proved.proof().toBytes();
    var rnd = new java.util.SplittableRandom(17);
    for (int i = 0; i < 200; i++) {
      byte[] tampered = proof.clone();
      int at = i < 40 ? i : rnd.nextInt(proof.length);
      tampered[at] ^= (byte) (1 + rnd.nextInt(255));
      assertThat(ZkVerifier.isValid(zk.verifyingKey(), request, x, proved.logits(), tampered))
          .as("byte " + at)
          .isFalse();
    }
  }

  @Test
  void cnn264kProvesAndVerifies() {
    provesAndVerifies(ConvNets.cnn264k(5));
  }
}
