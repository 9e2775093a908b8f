package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.onnx.quant.TensorShape;
import org.junit.jupiter.api.Test;

/** Where a separable layout puts (b, i, j) is where the layout itself puts that logical value. */
class MatrixBitsTest {
  private static void agrees(TensorShape shape, int batch, int rows, int cols) {
    WitnessPlan.Layout l = WitnessPlan.layout(shape, 5);
    MatrixBits mb = MatrixBits.of(l, batch, rows, cols);
    assertThat(mb).as(shape + " as " + batch + "×" + rows + "×" + cols).isNotNull();
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          int logical = (b * rows + i) * cols + j;
          assertThat(mb.physical(b, i, j)).isEqualTo(l.physical(logical));
        }
      }
    }
  }

  @Test
  void aChannelPerRowSeparatesForAnySizes() {
    agrees(new TensorShape(7, 1, 5), 1, 7, 5);
    agrees(new TensorShape(12, 1, 3), 3, 4, 3);
  }

  @Test
  void aChannelPerMatrixSeparatesWhenTheColumnsArePowersOfTwo() {
    agrees(new TensorShape(4, 6, 8), 4, 6, 8);
    agrees(new TensorShape(3, 2, 16), 3, 2, 16);
    assertThat(MatrixBits.of(WitnessPlan.layout(new TensorShape(4, 6, 6), 0), 4, 6, 6)).isNull();
  }

  @Test
  void aVectorSeparatesWhenTheColumnsArePowersOfTwo() {
    agrees(TensorShape.vector(24), 1, 3, 8);
    agrees(TensorShape.vector(32), 2, 4, 4);
  }

  @Test
  void aReshapedTensorWithThePhysicalPositionsOfAChannelPerRowSeparates() {
    // [1, 8, 6, 6] read as 8 rows of 36: the spatial index is the column
    agrees(new TensorShape(8, 6, 6), 1, 8, 36);
  }
}
