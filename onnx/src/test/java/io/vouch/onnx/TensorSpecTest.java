package io.vouch.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.tensor.DType;
import org.junit.jupiter.api.Test;

class TensorSpecTest {
  private final TensorSpec batchOf784 = new TensorSpec("x", DType.FLOAT32, new int[] {-1, 784});

  @Test
  void dynamicDimensionAcceptsAnySize() {
    assertThat(batchOf784.accepts(new int[] {1, 784})).isTrue();
    assertThat(batchOf784.accepts(new int[] {4096, 784})).isTrue();
  }

  @Test
  void fixedDimensionMustMatch() {
    assertThat(batchOf784.accepts(new int[] {1, 783})).isFalse();
  }

  @Test
  void rankMustMatch() {
    assertThat(batchOf784.accepts(new int[] {784})).isFalse();
    assertThat(batchOf784.accepts(new int[] {1, 1, 784})).isFalse();
  }

  @Test
  void shapeTextWritesDynamicDimensionsAsN() {
    assertThat(batchOf784.shapeText()).isEqualTo("[N, 784]");
    assertThat(batchOf784).hasToString("x: float32 [N, 784]");
  }

  @Test
  void shapeIsCopiedInAndOut() {
    int[] shape = {2, 3};
    TensorSpec spec = new TensorSpec("x", DType.INT8, shape);
    shape[0] = 9;
    spec.shape()[1] = 9;
    assertThat(spec.shape()).containsExactly(2, 3);
  }

  @Test
  void rejectsDimensionsBelowMinusOne() {
    assertThatThrownBy(() -> new TensorSpec("x", DType.INT8, new int[] {-2}))
        .hasMessageContaining("use -1 for a dynamic dimension");
  }
}
