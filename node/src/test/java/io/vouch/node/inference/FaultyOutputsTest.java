package io.vouch.node.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class FaultyOutputsTest {
  @Test
  void aShareOfOneLiesOnEveryRequest() {
    FaultyOutputs f = new FaultyOutputs(1);
    for (int i = 0; i < 100; i++) {
      assertThat(f.liesOn(Keccak.hash("request " + i))).isTrue();
    }
  }

  @Test
  void aHalfShareLiesOnAboutHalfOfASeededSetOfRequestsAndAlwaysOnTheSameOnes() {
    FaultyOutputs f = new FaultyOutputs(0.5);
    int lies = 0;
    for (int i = 0; i < 2000; i++) {
      Bytes32 id = Keccak.hash("request " + i);
      boolean lie = f.liesOn(id);
      assertThat(f.liesOn(id)).isEqualTo(lie);
      lies += lie ? 1 : 0;
    }
    // binomial(2000, 0.5): mean 1000, sd 22; the seeded ids give a fixed count
    assertThat(lies).isBetween(900, 1100);
  }

  @Test
  void theLieMovesTheArgmaxOfFloatAndIntegerOutputs() {
    FaultyOutputs f = new FaultyOutputs(1);
    Tensor floats = Tensor.ofFloats(new int[] {1, 4}, 0.1f, 2.5f, -1f, 0.3f);
    Tensor longs = Tensor.ofLongs(new int[] {1, 3}, 5, 9, 9000);

    Tensor wrongFloats = f.falsify(NamedTensors.single("y", floats)).get("y");
    Tensor wrongLongs = f.falsify(NamedTensors.single("logits", longs)).get("logits");

    assertThat(wrongFloats.argmax()).isEqualTo(2);
    assertThat(wrongFloats.dtype()).isEqualTo(floats.dtype());
    assertThat(wrongFloats.shape()).isEqualTo(floats.shape());
    assertThat(wrongLongs.argmax()).isEqualTo(0);
    assertThat(wrongLongs.toLongs()).containsExactly(9001, 9, 9000);
  }

  @Test
  void aShareOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> new FaultyOutputs(0)).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> new FaultyOutputs(1.5)).hasMessageContaining("(0, 1]");
  }
}
