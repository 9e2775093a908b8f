package io.vouch.zk.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Ntt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A prover's witness is committed by encoding blocks of rows straight into the column-major array
 * and hashing each Merkle leaf as it is serialized, and a witness of a million entries or more is
 * checked and combined on both cores. Each must give what the definitions give: the tree over the
 * serialized encoded columns (every row Reed–Solomon encoded on its own, {@link Ntt#encode}), and
 * g^T·M summed in the field entry by entry.
 */
class WitnessCommitmentTest {
  private static long[] smallMatrix(SplittableRandom rnd, int n, int bound) {
    long[] m = new long[n];
    for (int i = 0; i < n; i++) {
      m[i] = Goldilocks.fromSigned(rnd.nextInt(-bound, bound));
    }
    return m;
  }

  private static long[] randomExt(SplittableRandom rnd, int n) {
    long[] v = new long[2 * n];
    for (int i = 0; i < v.length; i++) {
      v[i] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
    }
    return v;
  }

  /** Σ_r g_r·M[r][c] for every column, one field product at a time. */
  private static long[] naiveCombination(long[] m, int rows, int columns, long[] g) {
    long[] out = new long[2 * columns];
    for (int c = 0; c < columns; c++) {
      GoldilocksExt2 sum = GoldilocksExt2.ZERO;
      for (int r = 0; r < rows; r++) {
        sum = sum.add(GoldilocksExt2.at(g, r).mulBase(m[r * columns + c]));
      }
      sum.store(out, c);
    }
    return out;
  }

  /** The root of the tree over each leaf's serialized encoded columns, row by row encoded. */
  private static byte[] expectedRoot(long[] m, int rows, int columns, int leafColumns, int blowup) {
    int encoded = columns * blowup;
    long[] byColumn = new long[rows * encoded];
    for (int r = 0; r < rows; r++) {
      long[] row =
          Ntt.encode(java.util.Arrays.copyOfRange(m, r * columns, (r + 1) * columns), blowup);
      for (int c = 0; c < encoded; c++) {
        byColumn[c * rows + r] = row[c];
      }
    }
    int leafValues = leafColumns * rows;
    byte[][] leaves = new byte[encoded / leafColumns][];
    for (int i = 0; i < leaves.length; i++) {
      leaves[i] = Ligero.columnBytes(byColumn, i * leafValues, leafValues);
    }
    return MerkleTree.build(leaves).root();
  }

  @ParameterizedTest(name = "{0} rows × {1} columns, {2} columns per leaf, rate 1/{3}")
  @CsvSource({
    "1, 4, 1, 4",
    "31, 8, 1, 2",
    "45, 16, 2, 2",
    "33, 64, 4, 4",
    // rows in blocks of an even count (blockRows): 58 rows as 2 × 29, 154 as 6 × 26 (the last 24)
    "58, 32, 1, 2",
    "154, 16, 1, 2",
    // leaves of more values than one hashing chunk: 1,500 and 3,000 per leaf
    "1500, 8, 1, 2",
    "1500, 4, 2, 4"
  })
  void blocksEncodedIntoColumnsAndStreamedLeavesGiveTheTreeOfTheSerializedColumns(
      int rows, int columns, int leafColumns, int blowup) {
    var rnd = new SplittableRandom(31L * rows + columns);
    long[] m = new long[rows * columns];
    for (int i = 0; i < m.length; i++) {
      m[i] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
    }
    byte[] expected = expectedRoot(m, rows, columns, leafColumns, blowup);
    assertThat(LigeroCommitment.commit(m, rows, columns, leafColumns, blowup).root())
        .isEqualTo(expected);
    assertThat(LigeroCommitment.commitOwned(m.clone(), rows, columns, leafColumns, blowup).root())
        .isEqualTo(expected);
  }

  /**
   * Blocks of at most 32 rows in an even number (but one, or from 31 blocks on, where one block
   * more on one core is at most a 31st of the work), the last one at most a row per block short.
   */
  @Test
  void rowBlocksComeInAnEvenNumberOfNearlyEqualSizes() {
    for (int rows = 1; rows <= 2000; rows++) {
      int b = LigeroCommitment.blockRows(rows);
      int blocks = (rows + b - 1) / b;
      int last = rows - (blocks - 1) * b;
      assertThat(b).as("%d rows", rows).isBetween(1, 32);
      assertThat(blocks == 1 || blocks % 2 == 0 || blocks >= 31)
          .as("%d rows: %d blocks", rows, blocks)
          .isTrue();
      assertThat(last).as("%d rows", rows).isGreaterThan(0).isGreaterThanOrEqualTo(b - blocks);
    }
    assertThat(LigeroCommitment.blockRows(154)).isEqualTo(26);
    assertThat(LigeroCommitment.blockRows(58)).isEqualTo(29);
    assertThat(LigeroCommitment.blockRows(15_617)).isEqualTo(32);
  }

  @ParameterizedTest(name = "{0} rows × {1} columns")
  @CsvSource({"600, 2048", "1031, 1024", "40, 64"})
  void aWitnessOfSmallEntriesCombinesLikeTheFieldSumOnEitherSideOfTheTwoCoreSize(
      int rows, int columns) {
    var rnd = new SplittableRandom(rows);
    long[] m = smallMatrix(rnd, rows * columns, 1 << 19);
    var commitment = LigeroCommitment.commitOwned(m, rows, columns, 1, 2);
    // every row (the proximity row's coefficients), a few rows (a point's group), none
    long[] dense = randomExt(rnd, rows);
    long[] sparse = new long[2 * rows];
    for (int r : new int[] {0, rows / 3, rows - 1}) {
      sparse[2 * r] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
      sparse[2 * r + 1] = Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P);
    }
    long[] none = new long[2 * rows];
    for (long[] g : new long[][] {dense, sparse, none}) {
      assertThat(commitment.combine(g)).containsExactly(naiveCombination(m, rows, columns, g));
    }
  }

  @ParameterizedTest(name = "a large entry at {0} of 600 × 2048")
  @CsvSource({"0", "614400", "1228799"})
  void aWitnessWithOneLargeEntryAnywhereCombinesInTheField(int at) {
    int rows = 600, columns = 2048;
    var rnd = new SplittableRandom(at);
    long[] m = smallMatrix(rnd, rows * columns, 128);
    m[at] = Goldilocks.fromSigned(-(1L << 40)); // beyond the exact-sum bound: residue sums
    var commitment = LigeroCommitment.commit(m, rows, columns, 1, 2);
    long[] g = randomExt(rnd, rows);
    assertThat(commitment.combine(g)).containsExactly(naiveCombination(m, rows, columns, g));
  }
}
