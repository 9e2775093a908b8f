package io.vouch.bench.zk;

import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.lookup.FractionalSumGkr;
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
 * The lookup GKR alone, as the prover runs it ({@link FractionalSumGkr#proveUnitNumerators}: unit
 * numerators, 2^leafBits random extension-field denominators), on one thread ({@code
 * -Dvouch.zk.helper=false}). Besides JMH's wall-clock score, the benchmark thread's CPU time
 * ({@code cpuMicros}) and the operations ({@code ops}) are counted per iteration, as in {@link
 * ZkmlCpuBenchmarks}: CPU per leaf is cpuMicros / ops / 2^leafBits.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx3g", "-Dvouch.zk.helper=false"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LookupGkrBenchmarks {
  /** log2 of the leaves: LeNet-5's largest instance has 2^14, the CNN's and transformer's 2^17. */
  @Param({"14", "17"})
  public int leafBits;

  long[] leaves;

  @Setup
  public void leaves() {
    var rnd = new SplittableRandom(leafBits);
    leaves = new long[2 << leafBits];
    for (int i = 0; i < leaves.length; i++) {
      leaves[i] = 1 + Long.remainderUnsigned(rnd.nextLong(), Goldilocks.P - 1);
    }
  }

  /** One GKR over the leaves (they are read, not written). */
  @Benchmark
  public FractionalSumGkr.Proved proveUnitNumerators(ZkmlCpuBenchmarks.Cpu cpu) {
    FractionalSumGkr.Proved proved =
        FractionalSumGkr.proveUnitNumerators(new Transcript("gkr"), leaves);
    cpu.stop();
    return proved;
  }
}
