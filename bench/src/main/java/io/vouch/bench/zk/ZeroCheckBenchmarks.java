package io.vouch.bench.zk;

import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.field.Multilinear;
import io.vouch.zk.sumcheck.SumCheck;
import io.vouch.zk.transcript.Transcript;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A max-pool's zero-check alone, Σ_x eq(r, x)·Π_k d_k(x) over 2^vars positions with a 2×2 window's
 * four base-field differences, proved two ways with the same messages: {@link
 * SumCheck#proveProductOf} on the eq table and the differences (the baseline, as the prover ran it
 * until session 17) and {@link SumCheck#proveEqProductOf} with eq factored out of each round. On
 * two threads, as a proof runs it; the tables are copied in each operation (both pay it).
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ZeroCheckBenchmarks {
  /** LeNet-5's first pool has 2^11 pooled positions (6 channels of 256), the CNN's 2^13. */
  @Param({"11", "13"})
  public int vars;

  long[][] differences;
  GoldilocksExt2[] r;

  @Setup
  public void tables() {
    var rnd = new SplittableRandom(vars);
    differences = new long[4][2 << vars];
    for (long[] d : differences) {
      for (int i = 0; i < d.length; i += 2) {
        d[i] = rnd.nextInt(1 << 20);
      }
    }
    r = new GoldilocksExt2[vars];
    for (int i = 0; i < vars; i++) {
      r[i] =
          new GoldilocksExt2(
              Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P),
              Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P));
    }
  }

  private long[][] copies() {
    long[][] out = new long[differences.length][];
    for (int k = 0; k < out.length; k++) {
      out[k] = differences[k].clone();
    }
    return out;
  }

  /** The baseline: the eq table as a fifth factor, folded with the others. */
  @Benchmark
  public SumCheck.Proved productOf() {
    long[][] d = copies();
    long[][] tables = new long[d.length + 1][];
    tables[0] = Multilinear.eqTable(r);
    System.arraycopy(d, 0, tables, 1, d.length);
    return SumCheck.proveProductOf(new Transcript("zero-check"), tables);
  }

  /** eq factored out: four points of the differences' product per pair instead of six. */
  @Benchmark
  public SumCheck.Proved eqProductOf() {
    return SumCheck.proveEqProductOf(new Transcript("zero-check"), r, GoldilocksExt2.ONE, copies());
  }
}
