package io.vouch.zk.mlp;

import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Multilinear;
import java.util.Arrays;
import java.util.Collection;

/**
 * Witness rows evaluated at one point z_lo of the row domain (B columns): ⟨M[row], eq(z_lo, ·)⟩ for
 * each row, sent by the prover, opened together at the end with one combined row. Any committed
 * vector among them is then known at every point (z_lo, z_hi): ṽ(z) = Σ_i eq(z_hi, i)·(row value of
 * its i-th row), its uncommitted rows being zero.
 */
final class PointGroup {
  final GoldilocksExt2[] low;
  final int[] rows;
  final long[] evaluations;

  PointGroup(GoldilocksExt2[] low, int[] rows, long[] evaluations) {
    this.low = low;
    this.rows = rows;
    this.evaluations = evaluations;
  }

  /** The sorted distinct rows of the given vectors. */
  static int[] rowsOf(Collection<WitnessPlan.Vec> vectors) {
    int n = 0;
    for (WitnessPlan.Vec v : vectors) {
      n += v.rows();
    }
    int[] rows = new int[n];
    int k = 0;
    for (WitnessPlan.Vec v : vectors) {
      for (int i = 0; i < v.rows(); i++) {
        rows[k++] = v.firstRow() + i;
      }
    }
    Arrays.sort(rows);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (distinct == 0 || rows[i] != rows[distinct - 1]) {
        rows[distinct++] = rows[i];
      }
    }
    return Arrays.copyOf(rows, distinct); // increasing, each row once
  }

  /** The value of row {@code row}. */
  GoldilocksExt2 row(int row) {
    int i = Arrays.binarySearch(rows, row);
    if (i < 0) {
      throw new IllegalStateException("row " + row + " is not in this point group");
    }
    return GoldilocksExt2.at(evaluations, i);
  }

  /**
   * ṽ(z) for a vector of this group at a point whose first log B coordinates are this group's: z
   * has the vector's domain bits.
   */
  GoldilocksExt2 value(WitnessPlan.Vec v, GoldilocksExt2[] z, int logWidth) {
    GoldilocksExt2[] high = Arrays.copyOfRange(z, logWidth, z.length);
    long[] eq = Multilinear.eqTable(high);
    GoldilocksExt2 acc = GoldilocksExt2.ZERO;
    for (int i = 0; i < v.rows(); i++) {
      acc = acc.add(GoldilocksExt2.at(eq, i).mul(row(v.firstRow() + i)));
    }
    return acc;
  }

  /** ṽ at the point z restricted to a block of 2^j rows from {@code rowOffset} (lookups). */
  GoldilocksExt2 blockValue(WitnessPlan.Vec v, int rowOffset, GoldilocksExt2[] blockHigh) {
    long[] eq = Multilinear.eqTable(blockHigh);
    GoldilocksExt2 acc = GoldilocksExt2.ZERO;
    for (int i = 0; i < eq.length / 2; i++) {
      acc = acc.add(GoldilocksExt2.at(eq, i).mul(row(v.firstRow() + rowOffset + i)));
    }
    return acc;
  }
}
