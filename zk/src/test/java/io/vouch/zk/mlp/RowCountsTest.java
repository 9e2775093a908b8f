package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.zk.lookup.Multiplicities;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hash-table count of a wide range table's rows (format 13: tables of 2^21 to 2^24 rows) lists
 * every row hit, ascending, with its count: the same multiplicities as counting row by row.
 */
class RowCountsTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6})
  void countsEqualARowByRowCount(int seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int size = 1 << (21 + seed % 4);
    int leaves = 1 + rnd.nextInt(50_000);
    TreeMap<Integer, Long> expected = new TreeMap<>();
    Witness.RowCounts counts = new Witness.RowCounts(leaves);
    for (int i = 0; i < leaves; i++) {
      // rows near zero (small differences), a dense cluster, and anywhere, the table's ends too
      int row =
          switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(64);
            case 1 -> (size >> 1) + rnd.nextInt(4096);
            case 2 -> rnd.nextBoolean() ? 0 : size - 1;
            default -> rnd.nextInt(size);
          };
      counts.add(row);
      expected.merge(row, 1L, Long::sum);
    }
    Multiplicities m = counts.multiplicities(size);
    assertThat(m.size()).isEqualTo(size);
    assertThat(m.rows())
        .containsExactly(expected.keySet().stream().mapToInt(Integer::intValue).toArray());
    assertThat(m.counts())
        .containsExactly(expected.values().stream().mapToLong(Long::longValue).toArray());
  }
}
