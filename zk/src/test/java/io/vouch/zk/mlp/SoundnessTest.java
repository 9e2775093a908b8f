package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.benchmodels.ConvNets;
import io.vouch.onnx.OnnxModelFile;
import org.junit.jupiter.api.Test;

/** The per-model union bound of zk/README.md's soundness table. */
class SoundnessTest {
  @Test
  void mnistSizedMlpIsSoundToAbout108Bits() {
    ZkModel zk = ZkModel.register(RandomModels.mlp(1, 784, 128, 10));
    var terms = Soundness.terms(zk.plan());
    System.out.println("784-128-10: " + terms + " → " + zk.soundnessBits());
    // format 13: the LogUp term counts the rows a proof's multiplicities may list (at most its
    // 256 lookups), no longer the 2^18-row clamp and 2^20-row range tables in full (format 6-12:
    // 105.5 bits), so the witness opening's (3/4)^262 leads
    assertThat(terms.get("LogUp")).isLessThan(Math.pow(2, -110));
    assertThat(zk.soundnessBits()).isBetween(107.5, 109.0);
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

  /** The 0.25M transformer's terms (zk/README.md's sequence-model table; format 9's softmax). */
  @Test
  void theTransformerIsSoundToAtLeast100Bits() {
    var m =
        io.vouch.benchmodels.SequenceModels.encoder(
            io.vouch.benchmodels.SequenceModels.TRANSFORMER_250K, 7);
    ZkModel zk = ZkCompiler.compile(OnnxModelFile.parse(m.onnx()), m.inputs(1, 16), 0.9).model();
    var terms = Soundness.terms(zk.plan());
    System.out.println("TRANSFORMER_250K: " + terms + " → " + zk.soundnessBits());
    assertThat(terms).containsKeys("sum-checks", "output point");
    assertThat(zk.soundnessBits()).isGreaterThanOrEqualTo(100);
  }
}
