package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpatialMapsTest {
  /** The tap sums with one reduction per tap equal Σ_p eqP[p]·eqIn[source(p, k)] in K. */
  @Test
  void tapSumsEqualTheProductByProductSums() {
    SplittableRandom rnd = new SplittableRandom(29);
    for (int positions : new int[] {1, 5, 64, 784, 4096}) {
      int taps = 9, inputs = 1024;
      long[] eqP = new long[2 * positions], eqIn = new long[2 * inputs];
      for (int i = 0; i < eqP.length; i++) {
        eqP[i] = positions == 4096 ? Goldilocks.P - 1 : Goldilocks.reduce64(rnd.nextLong());
      }
      for (int i = 0; i < eqIn.length; i++) {
        eqIn[i] = positions == 4096 ? Goldilocks.P - 1 : Goldilocks.reduce64(rnd.nextLong());
      }
      int[][] sources = new int[taps][positions];
      for (int k = 0; k < taps; k++) {
        for (int p = 0; p < positions; p++) {
          sources[k][p] = rnd.nextInt(5) == 0 ? -1 : rnd.nextInt(inputs);
        }
      }
      GoldilocksExt2[] s = SpatialMaps.tapSums(sources, eqP, eqIn);
      for (int k = 0; k < taps; k++) {
        GoldilocksExt2 expected = GoldilocksExt2.ZERO;
        for (int p = 0; p < positions; p++) {
          int src = sources[k][p];
          if (src >= 0) {
            expected = expected.add(GoldilocksExt2.at(eqP, p).mul(GoldilocksExt2.at(eqIn, src)));
          }
        }
        assertThat(s[k]).as("%d positions, tap %d", positions, k).isEqualTo(expected);
      }
    }
  }

  /**
   * The position-major scatter holds E_k[s] at s·K + k, the values of {@link SpatialMaps#scatter};
   * the reached positions are exactly those some source names.
   */
  @Test
  void positionMajorScatterHoldsTheTapTablesAndReachedListsTheirSupport() {
    SplittableRandom rnd = new SplittableRandom(31);
    int taps = 9, positions = 300, inputs = 512;
    long[] eqP = new long[2 * positions];
    for (int i = 0; i < eqP.length; i++) {
      eqP[i] = Goldilocks.reduce64(rnd.nextLong());
    }
    int[][] sources = new int[taps][positions];
    for (int k = 0; k < taps; k++) {
      for (int p = 0; p < positions; p++) {
        sources[k][p] = rnd.nextInt(4) == 0 ? -1 : rnd.nextInt(inputs / 2); // half never read
      }
    }
    long[][] byTap = SpatialMaps.scatter(sources, eqP, inputs);
    long[] byPosition = SpatialMaps.scatterByPosition(sources, eqP, inputs);
    boolean[] read = new boolean[inputs];
    for (int[] src : sources) {
      for (int s : src) {
        if (s >= 0) {
          read[s] = true;
        }
      }
    }
    List<Integer> expected = new ArrayList<>();
    for (int s = 0; s < inputs; s++) {
      for (int k = 0; k < taps; k++) {
        assertThat(byPosition[2 * (s * taps + k)]).isEqualTo(byTap[k][2 * s]);
        assertThat(byPosition[2 * (s * taps + k) + 1]).isEqualTo(byTap[k][2 * s + 1]);
      }
      if (read[s]) {
        expected.add(s);
      }
    }
    assertThat(SpatialMaps.reached(sources, inputs))
        .containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
  }
}
