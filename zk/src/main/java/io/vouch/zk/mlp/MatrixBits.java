package io.vouch.zk.mlp;

import io.vouch.zk.field.GoldilocksExt2;

/**
 * Where the three indices of a batch of matrices sit among a tensor's physical index bits: value
 * (b, i, j) of {@code batch} matrices of rows × columns (row-major, flattened in that order) is at
 * j·2^colOffset + i·2^rowOffset + b·2^batchOffset, each index taking its power-of-two width, every
 * other bit of the domain zero. Then the tensor's multilinear at a point assembled from three
 * sub-points is the matrices' multilinear there, which is what a matrix-product sum-check needs.
 *
 * <p>Not every layout separates so: the columns must fill a power of two (or be a whole channel's
 * spatial row), and the rows too when several matrices share a channel run. {@link #of} returns
 * null then (registration refuses such a product with the reason).
 */
record MatrixBits(
    int colOffset,
    int colBits,
    int rowOffset,
    int rowBits,
    int batchOffset,
    int batchBits,
    int domainBits) {

  static MatrixBits of(WitnessPlan.Layout l, int batch, int rows, int cols) {
    int cb = log(cols), rb = log(rows), bb = log(batch);
    int sb = l.strideBits();
    int dom = l.domainBits();
    if (l.spatial() == cols && l.channels() == rows * batch) {
      // a channel per matrix row: channel = b·rows + i
      if (batch == 1 || rows == 1 << rb) {
        return new MatrixBits(0, cb, sb, rb, sb + rb, bb, dom);
      }
      return null;
    }
    if (l.channels() == batch && l.spatial() == rows * cols && cols == 1 << cb) {
      // a channel per matrix: spatial = i·cols + j
      return new MatrixBits(0, cb, cb, rb, sb, bb, dom);
    }
    if (l.spatial() == 1 && cols == 1 << cb && (batch == 1 || rows == 1 << rb)) {
      // a vector: the physical index is the logical one
      return new MatrixBits(0, cb, cb, rb, cb + rb, bb, dom);
    }
    return null;
  }

  static int log(int n) {
    return Integer.numberOfTrailingZeros(WitnessPlan.nextPowerOfTwo(n));
  }

  /** The column index j of physical index p. */
  int column(int p) {
    return (p >>> colOffset) & ((1 << colBits) - 1);
  }

  /**
   * Whether physical index p holds one of {@code batch} matrices' rows × cols values: its fields
   * within those counts and every other bit zero.
   */
  boolean isValue(int p, int batch, int rows, int cols) {
    int j = column(p);
    int i = (p >>> rowOffset) & ((1 << rowBits) - 1);
    int b = (p >>> batchOffset) & ((1 << batchBits) - 1);
    return j < cols && i < rows && b < batch && p == physical(b, i, j);
  }

  /** The physical index of (b, i, j). */
  int physical(int b, int i, int j) {
    return (j << colOffset) | (i << rowOffset) | (b << batchOffset);
  }

  /** A point of the tensor's domain: the three sub-points in their fields, 0 elsewhere. */
  GoldilocksExt2[] point(GoldilocksExt2[] col, GoldilocksExt2[] row, GoldilocksExt2[] batch) {
    GoldilocksExt2[] z = new GoldilocksExt2[domainBits];
    java.util.Arrays.fill(z, GoldilocksExt2.ZERO);
    System.arraycopy(col, 0, z, colOffset, colBits);
    System.arraycopy(row, 0, z, rowOffset, rowBits);
    System.arraycopy(batch, 0, z, batchOffset, batchBits);
    return z;
  }

  GoldilocksExt2[] cols(GoldilocksExt2[] z) {
    return java.util.Arrays.copyOfRange(z, colOffset, colOffset + colBits);
  }

  GoldilocksExt2[] rows(GoldilocksExt2[] z) {
    return java.util.Arrays.copyOfRange(z, rowOffset, rowOffset + rowBits);
  }

  GoldilocksExt2[] batches(GoldilocksExt2[] z) {
    return java.util.Arrays.copyOfRange(z, batchOffset, batchOffset + batchBits);
  }

  /** The row and batch fields of z together (they are adjacent: rows then batches). */
  GoldilocksExt2[] rowsAndBatches(GoldilocksExt2[] z) {
    return java.util.Arrays.copyOfRange(z, rowOffset, rowOffset + rowBits + batchBits);
  }

  /** The row part of a point over the rows and batches only. */
  GoldilocksExt2[] rowsOf(GoldilocksExt2[] rowsAndBatches) {
    return java.util.Arrays.copyOfRange(rowsAndBatches, 0, rowBits);
  }

  /** The batch part of a point over the rows and batches only. */
  GoldilocksExt2[] batchesOf(GoldilocksExt2[] rowsAndBatches) {
    return java.util.Arrays.copyOfRange(rowsAndBatches, rowBits, rowBits + batchBits);
  }

  /** Π (1 − z_c) over the coordinates of z outside the three fields: eq(z, 0) there. */
  GoldilocksExt2 outside(GoldilocksExt2[] z) {
    GoldilocksExt2 acc = GoldilocksExt2.ONE;
    for (int c = 0; c < z.length; c++) {
      boolean inside =
          (c >= colOffset && c < colOffset + colBits)
              || (c >= rowOffset && c < rowOffset + rowBits)
              || (c >= batchOffset && c < batchOffset + batchBits);
      if (!inside) {
        acc = acc.mul(GoldilocksExt2.ONE.sub(z[c]));
      }
    }
    return acc;
  }
}
