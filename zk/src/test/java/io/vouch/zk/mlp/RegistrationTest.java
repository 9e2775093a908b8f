package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.onnx.quant.Activation;
import io.vouch.onnx.quant.DenseLayer;
import io.vouch.onnx.quant.InputQuantization;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.LayerOutput;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrationTest {
  private static IntegerModel twoLayer(long multiplier, int shift) {
    var hidden =
        new DenseLayer(
            2,
            2,
            new byte[] {100, 100, -100, 100},
            new int[] {0, 0},
            new LayerOutput.Requantized(multiplier, shift, Activation.RELU));
    var last = new DenseLayer(1, 2, new byte[] {1, 1}, new int[] {0}, new LayerOutput.Logits());
    return new IntegerModel(new InputQuantization(1, 0), List.of(hidden, last), 1);
  }

  @Test
  void modelIdIsDeterministic() {
    assertThat(ZkModel.register(twoLayer(3, 8)).modelId())
        .isEqualTo(ZkModel.register(twoLayer(3, 8)).modelId());
  }

  @Test
  void modelIdChangesWithARequantizationConstant() {
    assertThat(ZkModel.register(twoLayer(3, 8)).modelId())
        .isNotEqualTo(ZkModel.register(twoLayer(4, 8)).modelId());
  }

  @Test
  void modelIdChangesWithAWeight() {
    var a = RandomModels.mlp(1, 4, 3, 2);
    var layers = new java.util.ArrayList<>(a.layers());
    DenseLayer first = layers.get(0);
    byte[] w = first.weights();
    w[0] ^= 1;
    layers.set(0, new DenseLayer(first.outputs(), first.inputs(), w, first.bias(), first.output()));
    var b = new IntegerModel(a.input(), layers, a.logitScale());
    assertThat(ZkModel.register(a).modelId()).isNotEqualTo(ZkModel.register(b).modelId());
  }

  @Test
  void modelWithoutHiddenLayerIsRefused() {
    var only = new DenseLayer(1, 2, new byte[] {1, 1}, new int[] {0}, new LayerOutput.Logits());
    var m = new IntegerModel(new InputQuantization(1, 0), List.of(only), 1);
    assertThatThrownBy(() -> ZkModel.register(m))
        .isInstanceOf(UnprovableModelException.class)
        .hasMessageContaining("at least one hidden layer");
  }

  @Test
  void shiftAboveTheFieldSafeLimitIsRefused() {
    assertThatThrownBy(() -> ZkModel.register(twoLayer(1, 45)))
        .isInstanceOf(UnprovableModelException.class)
        .hasMessageContaining("shifts up to 44");
  }

  @Test
  void requantizedRangeBeyondTheClampLookupIsRefused() {
    // accumulators reach 2·100·128 = 25600; multiplier 64 and shift 1 give q up to 819200
    assertThatThrownBy(() -> ZkModel.register(twoLayer(64, 1)))
        .isInstanceOf(UnprovableModelException.class)
        .hasMessageContaining("2^17");
  }
}
