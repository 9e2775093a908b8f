package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.MlpQuantizer;
import io.vouch.onnx.testmodels.TestModels;
import org.junit.jupiter.api.Test;

/** The whole path a model takes: float ONNX → integer model → registration → proof → verdict. */
class OnnxToProofTest {
  @Test
  void quantizedOnnxModelIsProvenAndVerified() {
    OnnxModelFile file = OnnxModelFile.parse(TestModels.randomMlpOnnx(11, 64, 32, 16, 4));
    float[][] calibration = TestModels.randomInputs(11, 200, 64);
    // an untrained random model has near-tied logits: its top-1 flips on ~1 % of inputs under
    // any rounding, so the 99 % gate meant for trained models is relaxed (OnnxToProofFoldedOpsTest
    // passes it with models that decide with margins)
    IntegerModel integer = MlpQuantizer.quantize(file, calibration, 0.9).model();
    ZkModel model = ZkModel.register(integer);

    float[] x = TestModels.randomInputs(12, 1, 64)[0];
    byte[] xq = integer.input().quantize(x);
    byte[] request = RandomModels.requestId(11);
    ProvedInference proved = ZkProver.prove(model, request, xq);

    assertThat(
            ZkVerifier.isValid(
                model.verifyingKey(), request, xq, proved.logits(), proved.proof().toBytes()))
        .isTrue();
  }

  @Test
  void quantizedMnistSizedModelIsProvable() {
    OnnxModelFile file = OnnxModelFile.parse(TestModels.randomMlpOnnx(3, 784, 128, 10));
    IntegerModel integer =
        MlpQuantizer.quantize(file, TestModels.randomInputs(3, 100, 784), 0.9).model();
    ZkModel model = ZkModel.register(integer);
    byte[] xq = integer.input().quantize(TestModels.randomInputs(4, 1, 784)[0]);
    byte[] request = RandomModels.requestId(3);
    ProvedInference proved = ZkProver.prove(model, request, xq);
    byte[] bytes = proved.proof().toBytes();
    assertThat(bytes.length).isLessThanOrEqualTo(200_000);
    assertThat(ZkVerifier.isValid(model.verifyingKey(), request, xq, proved.logits(), bytes))
        .isTrue();
  }
}
