package io.vouch.zk.commit;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prints the heap a registered weight commitment holds per weight, kept encoded and compact, for
 * the weight shapes of the larger targets (GPT-2-small's projections, its MLP and tied output
 * projection; a 264k-CNN convolution): rows are the outputs padded to a power of two, columns the
 * inputs padded, the padding zero. A main, not a test: {@code java -cp zk/target/classes:
 * zk/target/test-classes io.vouch.zk.commit.WeightMemoryProbe}. Besides {@link
 * LigeroCommitment#heldBytes} (the arrays' lengths) it measures the heap in use after a full
 * collection with and without the commitment, and the time of registration and of one opening of 56
 * columns.
 */
public final class WeightMemoryProbe {
  private WeightMemoryProbe() {}

  public static void main(String[] args) {
    // rows, columns, used rows, used columns
    int[][] shapes = {
      {1024, 1024, 768, 768},
      {4096, 1024, 3072, 768},
      {1024, 4096, 768, 3072},
      {64, 512, 64, 288},
      {65536, 1024, 50257, 768}
    };
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    SplittableRandom rnd = new SplittableRandom(7);
    for (int[] s : shapes) {
      int rows = s[0], cols = s[1];
      byte[] b = new byte[rows * cols];
      for (int r = 0; r < s[2]; r++) {
        for (int c = 0; c < s[3]; c++) {
          b[r * cols + c] = (byte) rnd.nextInt(256);
        }
      }
      long weights = (long) s[2] * s[3];
      int[] queries = new int[Ligero.QUERIES_REGISTERED];
      for (int i = 0; i < queries.length; i++) {
        queries[i] = rnd.nextInt(cols * Ligero.BLOWUP);
      }
      for (boolean keep : new boolean[] {true, false}) {
        if (keep && (long) s[2] * cols * Ligero.BLOWUP * 8 > 1L << 30) {
          System.out.printf(
              Locale.ROOT, "%dx%d (%d used): kept form skipped (over 1 GiB)%n", rows, cols, s[2]);
          continue;
        }
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        long t0 = System.nanoTime();
        LigeroCommitment c = LigeroCommitment.commitBytes(b, rows, cols, keep);
        long t1 = System.nanoTime();
        System.gc();
        long after = memory.getHeapMemoryUsage().getUsed();
        double open = Double.MAX_VALUE;
        for (int trial = 0; trial < 3; trial++) {
          long o = System.nanoTime();
          c.open(queries);
          open = Math.min(open, (System.nanoTime() - o) / 1e6);
        }
        System.out.printf(
            Locale.ROOT,
            "%dx%d (%dx%d used, %,d weights) %s: holds %,d bytes = %.2f per weight"
                + " (heap after GC +%.2f per weight); commit %.2f s; open 56 columns %.1f ms"
                + " (%.2f ns per weight)%n",
            rows,
            cols,
            s[2],
            s[3],
            weights,
            keep ? "kept encoded" : "compact",
            c.heldBytes(),
            c.heldBytes() / (double) weights,
            (after - before) / (double) weights,
            (t1 - t0) / 1e9,
            open,
            open * 1e6 / weights);
        c = null;
      }
    }
  }
}
