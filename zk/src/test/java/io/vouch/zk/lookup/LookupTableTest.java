package io.vouch.zk.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class LookupTableTest {
  static LongStream seeds() {
    return LongStream.range(1, 11);
  }

  private static GoldilocksExt2 random(SplittableRandom rnd) {
    return new GoldilocksExt2(
        Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P),
        Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P));
  }

  @ParameterizedTest
  @EnumSource(LookupTable.class)
  void rangeTablesStayWithinTwoToTheTwentyFourRowsAndClampsWithinTwoToTheEighteen(
      LookupTable table) {
    if (table == LookupTable.RELU_CLAMP || table == LookupTable.INT8_CLAMP) {
      assertThat(table.size()).isEqualTo(2 * LookupTable.CLAMP_LIMIT).isEqualTo(1 << 18);
      assertThat(table.arity()).isEqualTo(2);
    } else {
      assertThat(table.size()).isLessThanOrEqualTo(1 << LookupTable.MAX_RANGE_BITS);
      assertThat(table.arity()).isEqualTo(1);
    }
  }

  @Test
  void clampTablesPairEveryProvableValueWithItsClamp() {
    for (int v = -LookupTable.CLAMP_LIMIT; v < LookupTable.CLAMP_LIMIT; v += 7) {
      int reluRow = LookupTable.RELU_CLAMP.rowOf(v, Math.max(0, Math.min(127, v)));
      int int8Row = LookupTable.INT8_CLAMP.rowOf(v, Math.max(0, Math.min(255, v)));
      assertThat(LookupTable.RELU_CLAMP.entry(reluRow, 0)).isEqualTo(v);
      assertThat(LookupTable.INT8_CLAMP.entry(int8Row, 0)).isEqualTo(v);
      assertThat(LookupTable.RELU_CLAMP.entry(reluRow, 1)).isEqualTo(Math.max(0, Math.min(127, v)));
      assertThat(LookupTable.INT8_CLAMP.entry(int8Row, 1)).isEqualTo(Math.max(0, Math.min(255, v)));
    }
  }

  @Test
  void rangeTablesHoldExactlyTheValuesBelowTwoToTheirWidth() {
    for (int bits = 1; bits <= LookupTable.MAX_RANGE_BITS; bits++) {
      LookupTable range = LookupTable.range(bits);
      assertThat(range.size()).isEqualTo(1 << bits);
      assertThat(range.rowOf((1 << bits) - 1, 0)).isEqualTo((1 << bits) - 1);
      int tooBig = 1 << bits;
      assertThatThrownBy(() -> range.rowOf(tooBig, 0)).hasMessageContaining("not in lookup table");
      assertThatThrownBy(() -> range.rowOf(-1, 0)).hasMessageContaining("not in lookup table");
    }
    assertThat(LookupTable.MAX_RANGE_BITS).isEqualTo(24);
    assertThatThrownBy(() -> LookupTable.range(25)).hasMessageContaining("1 to 24 bits");
    assertThatThrownBy(() -> LookupTable.range(0)).hasMessageContaining("1 to 24 bits");
  }

  @Test
  void valuesOutsideATableHaveNoRow() {
    assertThatThrownBy(() -> LookupTable.RANGE_8.rowOf(256, 0))
        .hasMessageContaining("not in lookup table");
    assertThatThrownBy(() -> LookupTable.RELU_CLAMP.rowOf(5, 6))
        .hasMessageContaining("not in lookup table");
    assertThatThrownBy(() -> LookupTable.RELU_CLAMP.rowOf(200, 200))
        .hasMessageContaining("not in lookup table");
    assertThatThrownBy(() -> LookupTable.INT8_CLAMP.rowOf(-1, -1))
        .hasMessageContaining("not in lookup table");
    assertThatThrownBy(() -> LookupTable.INT8_CLAMP.rowOf(LookupTable.CLAMP_LIMIT, 255))
        .hasMessageContaining("not in lookup table");
    assertThatThrownBy(() -> LookupTable.INT8_CLAMP.rowOf(-LookupTable.CLAMP_LIMIT - 1, 0))
        .hasMessageContaining("not in lookup table");
  }

  /** Σ 1/(α − f_i) over the lookups, computed directly. */
  private static GoldilocksExt2 lookupSide(
      long[] values, GoldilocksExt2 alpha, GoldilocksExt2 beta) {
    GoldilocksExt2 s = GoldilocksExt2.ZERO;
    for (long v : values) {
      GoldilocksExt2 f =
          GoldilocksExt2.of(LookupTable.RANGE_8.id()).add(beta.mulBase(Goldilocks.fromSigned(v)));
      s = s.add(alpha.sub(f).inverse());
    }
    return s;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void logUpIdentityHoldsForValuesInTheTableWithTheirMultiplicities(long seed) {
    var rnd = new SplittableRandom(seed);
    long[] values = rnd.longs(50, 0, 256).toArray();
    long[] m = new long[256];
    for (long v : values) {
      m[LookupTable.RANGE_8.rowOf(v, 0)]++;
    }
    GoldilocksExt2 alpha = random(rnd), beta = random(rnd);
    assertThat(LookupTable.RANGE_8.weightedInverseSum(m, alpha, beta))
        .isEqualTo(lookupSide(values, alpha, beta));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void logUpIdentityFailsWhenOneValueIsOutsideTheTable(long seed) {
    var rnd = new SplittableRandom(seed);
    long[] values = rnd.longs(50, 0, 256).toArray();
    long[] m = new long[256];
    for (long v : values) {
      m[(int) v]++;
    }
    // the prover claims 300 is the byte 44: same multiplicities, different value
    m[44]++;
    long[] cheating = java.util.Arrays.copyOf(values, 51);
    cheating[50] = 300;
    GoldilocksExt2 alpha = random(rnd), beta = random(rnd);
    assertThat(LookupTable.RANGE_8.weightedInverseSum(m, alpha, beta))
        .isNotEqualTo(lookupSide(cheating, alpha, beta));
  }

  /** Σ m_row/(α − combined(row)) row by row in K: the definition the fast table side must meet. */
  private static GoldilocksExt2 rowByRow(
      Table table, Multiplicities m, GoldilocksExt2 alpha, GoldilocksExt2 beta) {
    GoldilocksExt2 s = GoldilocksExt2.ZERO;
    for (int i = 0; i < m.used(); i++) {
      GoldilocksExt2 den = alpha.sub(table.combined(m.row(i), beta));
      s = s.add(den.inverse().mulBase(m.count(i)));
    }
    return s;
  }

  /**
   * Random rows of the table with counts 1..1000, always including the segment boundaries; kept
   * sparse (a 2^24-row range table's dense counts would be 128 MB).
   */
  private static Multiplicities randomMultiplicities(LookupTable table, SplittableRandom rnd) {
    java.util.TreeMap<Integer, Long> counts = new java.util.TreeMap<>();
    int used = Math.min(table.size(), 1 + rnd.nextInt(3000));
    for (int i = 0; i < used; i++) {
      counts.merge(rnd.nextInt(table.size()), 1L + rnd.nextInt(1000), Long::sum);
    }
    counts.merge(0, 1L, Long::sum);
    counts.merge(table.size() - 1, 1L, Long::sum);
    if (table == LookupTable.RELU_CLAMP || table == LookupTable.INT8_CLAMP) {
      int c = LookupTable.CLAMP_LIMIT;
      for (int row : new int[] {c - 1, c, c + 1, c + 127, c + 128, c + 255, c + 256}) {
        counts.merge(row, 3L, Long::sum);
      }
    }
    return sparse(table.size(), counts);
  }

  private static Multiplicities sparse(int size, java.util.SortedMap<Integer, Long> counts) {
    int[] rows = counts.keySet().stream().mapToInt(Integer::intValue).toArray();
    long[] c = counts.values().stream().mapToLong(Long::longValue).toArray();
    return new Multiplicities(size, rows, c);
  }

  @ParameterizedTest
  @EnumSource(
      value = LookupTable.class,
      names = {
        "RANGE_1",
        "RANGE_8",
        "RANGE_10",
        "RANGE_15",
        "RANGE_20",
        "RANGE_22",
        "RANGE_24",
        "RELU_CLAMP",
        "INT8_CLAMP"
      })
  void tableSideOnPrimitiveLongsEqualsTheRowByRowSum(LookupTable table) {
    for (long seed = 1; seed <= 5; seed++) {
      var rnd = new SplittableRandom(seed * 31 + table.ordinal());
      Multiplicities m = randomMultiplicities(table, rnd);
      GoldilocksExt2 alpha = random(rnd), beta = random(rnd);
      assertThat(table.weightedInverseSum(m, alpha, beta))
          .isEqualTo(rowByRow(table, m, alpha, beta));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = LookupTable.class,
      names = {"RANGE_20", "RANGE_24", "RELU_CLAMP", "INT8_CLAMP"})
  void tableSideChangesWhenOneMultiplicityMovesToAnotherRow(LookupTable table) {
    var rnd = new SplittableRandom(table.ordinal());
    Multiplicities m = randomMultiplicities(table, rnd);
    java.util.TreeMap<Integer, Long> moved = new java.util.TreeMap<>();
    int[] rows = m.rows();
    long[] counts = m.counts();
    for (int i = 0; i < rows.length; i++) {
      moved.put(rows[i], counts[i]);
    }
    int from = rows[rows.length / 2];
    int to = from + 1 < table.size() && !moved.containsKey(from + 1) ? from + 1 : from - 1;
    moved.merge(from, -1L, Long::sum);
    moved.merge(to, 1L, Long::sum);
    moved.values().removeIf(c -> c == 0);
    GoldilocksExt2 alpha = random(rnd), beta = random(rnd);
    assertThat(table.weightedInverseSum(sparse(table.size(), moved), alpha, beta))
        .isNotEqualTo(table.weightedInverseSum(m, alpha, beta));
  }

  @Test
  void tableSideIsRefusedWhenAlphaHitsAUsedRow() {
    var rnd = new SplittableRandom(3);
    GoldilocksExt2 beta = random(rnd);
    long[] dense = new long[LookupTable.RANGE_20.size()];
    dense[12345] = 2;
    dense[777] = 1;
    // α = id + β·12345: the denominator of row 12345 is zero
    GoldilocksExt2 alpha = GoldilocksExt2.of(LookupTable.RANGE_20.id()).add(beta.mulBase(12345));
    assertThatThrownBy(
            () -> LookupTable.RANGE_20.weightedInverseSum(Multiplicities.of(dense), alpha, beta))
        .isInstanceOf(ArithmeticException.class);
    long[] clamp = new long[LookupTable.RELU_CLAMP.size()];
    clamp[LookupTable.CLAMP_LIMIT + 40] = 1; // (40, 40)
    GoldilocksExt2 hit = LookupTable.RELU_CLAMP.combined(LookupTable.CLAMP_LIMIT + 40, beta);
    assertThatThrownBy(
            () -> LookupTable.RELU_CLAMP.weightedInverseSum(Multiplicities.of(clamp), hit, beta))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void multiplicitiesListRowsOnceInAscendingOrderWithinTheTable() {
    assertThatThrownBy(() -> new Multiplicities(8, new int[] {3, 3}, new long[] {1, 1}))
        .hasMessageContaining("ascend");
    assertThatThrownBy(() -> new Multiplicities(8, new int[] {4, 2}, new long[] {1, 1}))
        .hasMessageContaining("ascend");
    assertThatThrownBy(() -> new Multiplicities(8, new int[] {8}, new long[] {1}))
        .hasMessageContaining("ascend");
  }
}
