package io.vouch.zk.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A function table with a third column (proof format 12: a softmax's (d, exp[d], y) with y ∈ [0,
 * Q]): its rows are exactly the keys' (k, f(k)) beside every y in range plus the padding row, and
 * its table side on primitive longs is the row-by-row sum's field element.
 */
class FunctionTableTest {
  private static final int OUTPUTS = 128;

  private static long[] exponentials() {
    long[] exp = new long[FunctionTable.KEYS];
    for (int d = 0; d < exp.length; d++) {
      exp[d] = Math.round(4096 * Math.exp(-0.05 * d));
    }
    return exp;
  }

  private final FunctionTable table = new FunctionTable(64, 0, exponentials(), OUTPUTS);

  @Test
  void everyKeyPairsItsValueWithEveryOutputInRangeAndNothingElse() {
    long[] exp = exponentials();
    assertThat(table.arity()).isEqualTo(3);
    assertThat(table.size()).isEqualTo(FunctionTable.KEYS * OUTPUTS + 1);
    for (int d = 0; d < FunctionTable.KEYS; d += 17) {
      for (int y : new int[] {0, 1, 64, OUTPUTS - 1}) {
        int row = table.indexOf(d, exp[d], y);
        assertThat(row).isNotNegative();
        assertThat(table.entry(row, 0)).isEqualTo(d);
        assertThat(table.entry(row, 1)).isEqualTo(exp[d]);
        assertThat(table.entry(row, 2)).isEqualTo(y);
      }
      assertThat(table.indexOf(d, exp[d], OUTPUTS)).as("y above Q").isNegative();
      assertThat(table.indexOf(d, exp[d], -1)).as("a negative y").isNegative();
      assertThat(table.indexOf(d, exp[d] + 1, 0)).as("a wrong exponential").isNegative();
    }
    int pad = table.indexOf(FunctionTable.PAD_KEY, 0, 0);
    assertThat(pad).isEqualTo(FunctionTable.KEYS * OUTPUTS);
    assertThat(table.indexOf(FunctionTable.PAD_KEY, 0, 1)).as("padding with y ≠ 0").isNegative();
    // the two-column table of the same values is another table, and ignores no third column
    FunctionTable pairs = new FunctionTable(64, 0, exponentials());
    assertThat(pairs.sameRows(table)).isFalse();
    assertThat(pairs.indexOf(3, exp[3], 1)).isNegative();
    assertThat(pairs.indexOf(3, exp[3], 0)).isEqualTo(3);
  }

  @Test
  void tableSideOnPrimitiveLongsEqualsTheRowByRowSum() {
    for (long seed = 1; seed <= 5; seed++) {
      var rnd = new SplittableRandom(seed);
      long[] dense = new long[table.size()];
      for (int i = 0; i < 1 + rnd.nextInt(4000); i++) {
        dense[rnd.nextInt(table.size())] += 1 + rnd.nextInt(1000);
      }
      dense[0] += 1;
      dense[OUTPUTS - 1] += 1; // a key's last row
      dense[OUTPUTS] += 1; // the next key's first
      dense[table.size() - 1] += 2; // the padding row
      Multiplicities m = Multiplicities.of(dense);
      GoldilocksExt2 alpha = random(rnd), beta = random(rnd);
      GoldilocksExt2 expected = GoldilocksExt2.ZERO;
      for (int i = 0; i < m.used(); i++) {
        GoldilocksExt2 den = alpha.sub(table.combined(m.row(i), beta));
        expected = expected.add(den.inverse().mulBase(m.count(i)));
      }
      assertThat(table.weightedInverseSum(m, alpha, beta)).isEqualTo(expected);
      // one count moved to the neighbouring y of the same key changes it
      int from = m.rows()[m.used() / 2];
      int to = from % OUTPUTS == 0 ? from + 1 : from - 1;
      long[] moved = m.dense();
      moved[from]--;
      moved[to]++;
      assertThat(table.weightedInverseSum(Multiplicities.of(moved), alpha, beta))
          .isNotEqualTo(expected);
    }
  }

  private static GoldilocksExt2 random(SplittableRandom rnd) {
    return new GoldilocksExt2(
        Goldilocks.reduce64(rnd.nextLong()), Goldilocks.reduce64(rnd.nextLong()));
  }
}
