package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.benchmodels.ConvNets;
import io.vouch.onnx.OnnxModelFile;
import org.junit.jupiter.api.Test;

/** The per-model union bound of zk/README.md's soundness table. */
class SoundnessTest {
  @Test
  void mnistSizedMlpIsSoundToAbout105Bits() {
    ZkModel zk = ZkModel.register(RandomModels.mlp(1, 784, 128, 10));
    System.out.println("784-128-10: " + Soundness.terms(zk.plan()) + " → " + zk.soundnessBits());
    // format 6: the LogUp term counts the 2^18-row clamp and 2^20-row range tables in full
    assertThat(zk.soundnessBits()).isBetween(104.5, 106.5);
  }

  @Test
  void theCnnTestModelsAreSoundToAtLeast100Bits() {
    for (var m :
        new io.vouch.benchmodels.ClassifierModel[] {ConvNets.lenet5(1), ConvNets.cnn264k(1)}) {
      ZkModel zk = ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 64), 0.9).model();
      System.out.println(m.name() + ": " + Soundness.terms(zk.plan()) + " → " + zk.soundnessBits());
      assertThat(zk.soundnessBits()).isGreaterThanOrEqualTo(100);
    }
  }
}
