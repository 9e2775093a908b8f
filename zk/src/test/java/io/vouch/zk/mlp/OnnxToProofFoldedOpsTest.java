package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.LayerOutput;
import io.vouch.onnx.quant.MlpQuantizer;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.onnx.writer.BatchNormalization;
import io.vouch.onnx.writer.Chain;
import io.vouch.onnx.writer.Clip;
import io.vouch.onnx.writer.GemmActivation;
import io.vouch.onnx.writer.OnnxModelWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Float ONNX models with BatchNormalization and Clip → {@link ZkCompiler} → proof → verdict, on an
 * input whose hidden activations hit the clip bounds.
 */
class OnnxToProofFoldedOpsTest {
  private static final int IN = 16;
  private static final int HIDDEN = 12;
  private static final int CLASSES = 4;

  @Test
  void gemmBatchNormalizationClipZeroToSixGemmIsProvenAndVerified() {
    BatchNormalization random = TestModels.randomBatchNormalization(21, HIDDEN);
    float[] scale = random.scale();
    for (int i = 0; i < scale.length; i++) {
      scale[i] *= 4; // wide enough that Clip(0, 6) binds on part of the inputs
    }
    BatchNormalization bn =
        new BatchNormalization(
            scale, random.bias(), random.mean(), random.variance(), random.epsilon());
    Chain hidden =
        Chain.of(
            IN,
            TestModels.randomDense(21, IN, HIDDEN, GemmActivation.NONE),
            bn,
            Clip.between(0, 6));
    assertProvenAndVerifiedWhereTheClipBinds(21, hidden, io.vouch.onnx.quant.Activation.RELU);
  }

  @Test
  void gemmSymmetricClipGemmIsProvenAndVerified() {
    Chain hidden =
        Chain.of(
            IN,
            TestModels.randomDense(22, IN, HIDDEN, GemmActivation.NONE),
            Clip.between(-0.75f, 0.75f));
    assertProvenAndVerifiedWhereTheClipBinds(22, hidden, io.vouch.onnx.quant.Activation.CLAMP);
  }

  private static void assertProvenAndVerifiedWhereTheClipBinds(
      long seed, Chain hidden, io.vouch.onnx.quant.Activation expectedActivation) {
    float[][] centres = TestModels.clusterCentres(seed, CLASSES, IN);
    Chain chain = TestModels.withNearestCentreReadout(hidden, centres);
    OnnxModelFile file = OnnxModelFile.parse(OnnxModelWriter.chain(chain).toBytes());
    float[][] calibration = TestModels.clusteredInputs(seed, 200, centres, 0.25);

    ZkCompiler.Compiled compiled =
        ZkCompiler.compile(file, calibration, MlpQuantizer.MIN_AGREEMENT);
    IntegerModel integer = compiled.model().integerModel();
    assertThat(((LayerOutput.Requantized) integer.layers().get(0).output()).activation())
        .isEqualTo(expectedActivation);

    byte[] xq = saturatingInput(integer, calibration, expectedActivation);
    byte[] request = RandomModels.requestId(seed);
    ProvedInference proved = ZkProver.prove(compiled.model(), request, xq);
    byte[] proof = proved.proof().toBytes();

    assertThat(proved.logits()).isEqualTo(IntegerEngine.run(integer, xq));
    assertThat(
            ZkVerifier.isValid(
                compiled.model().verifyingKey(), request, xq, proved.logits(), proof))
        .isTrue();
    long[] wrong = proved.logits().clone();
    wrong[0]++;
    assertThat(ZkVerifier.isValid(compiled.model().verifyingKey(), request, xq, wrong, proof))
        .isFalse();
  }

  /** A quantized calibration input whose hidden layer reaches the activation's upper code. */
  private static byte[] saturatingInput(
      IntegerModel integer, float[][] calibration, io.vouch.onnx.quant.Activation activation) {
    for (float[] x : calibration) {
      byte[] xq = integer.input().quantize(x);
      byte[] hidden = IntegerEngine.trace(integer, xq).int8(integer.tensorOf(0));
      boolean high = false, low = activation.low() == 0;
      for (byte v : hidden) {
        high |= v == activation.high();
        low |= v == activation.low();
      }
      if (high && low) {
        return xq;
      }
    }
    throw new AssertionError(
        "no calibration input saturates the hidden layer at both ends of "
            + activation
            + "; the test model does not exercise the clip: "
            + Arrays.toString(integer.layers().toArray()));
  }
}
