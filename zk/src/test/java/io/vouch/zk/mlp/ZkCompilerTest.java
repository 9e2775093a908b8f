package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.testmodels.TestModels;
import org.junit.jupiter.api.Test;

/** ONNX → ZK model file, with the default seeded calibration. */
class ZkCompilerTest {
  private static final OnnxModelFile MLP =
      OnnxModelFile.parse(TestModels.randomMlpOnnx(5, 32, 16, 4));

  @Test
  void defaultCalibrationGivesTheSameModelIdEveryTime() {
    assertThat(ZkCompiler.compile(MLP).model().modelId())
        .isEqualTo(ZkCompiler.compile(MLP).model().modelId());
  }

  /**
   * The default calibration is part of every published ZK model id: the 256 inputs uniform in [0,
   * 1) that a SplittableRandom seeded 1 draws row by row (the draws of TestModels.randomInputs).
   */
  @Test
  void defaultCalibrationIsTwoHundredFiftySixUniformInputsDrawnWithSeedOne() {
    assertThat(ZkCompiler.defaultCalibration(MLP))
        .isDeepEqualTo(TestModels.randomInputs(1, 256, 32));
  }

  @Test
  void fileBytesLoadBackToTheSameModelId() {
    ZkCompiler.Compiled compiled = ZkCompiler.compile(MLP);

    ZkModel loaded = ZkModelFile.load("test", compiled.fileBytes());

    assertThat(loaded.modelId()).isEqualTo(compiled.model().modelId());
  }

  @Test
  void alteredFileBytesAreRefused() {
    byte[] bytes = ZkCompiler.compile(MLP).fileBytes();
    bytes[bytes.length - 40] ^= 0x01; // a weight of the last layer

    assertThatThrownBy(() -> ZkModelFile.load("hub blob", bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("altered");
  }
}
