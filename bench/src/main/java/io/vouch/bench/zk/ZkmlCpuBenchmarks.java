package io.vouch.bench.zk;

import io.vouch.benchmodels.ZkBenchmarkModels;
import io.vouch.benchmodels.ZkBenchmarkModels.BenchModel;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.zk.mlp.ProvedInference;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkProver;
import io.vouch.zk.mlp.ZkVerifier;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The prover's work, independent of what else runs on the machine: the same integer inference and
 * proof as {@link ZkmlBenchmarks}, with the prover on one thread ({@code -Dvouch.zk.helper=false})
 * and, besides JMH's wall-clock score, the CPU time the benchmark thread spent per operation
 * ({@code cpuMicros}, from {@link ThreadMXBean#getCurrentThreadCpuTime}, an {@link AuxCounters}
 * counter; with the helper off the whole proof runs on that thread, and the collector's and the
 * compiler's threads are not counted). On a machine shared with other builds the wall-clock score
 * grows with the load; the CPU time does not (beyond what shared caches cost), so it is the figure
 * to compare across runs and with the two-thread prover's wall-clock time on a quiet machine. JMH
 * prints both counters as sums per iteration ({@code cpuMicros} and {@code ops}); CPU per operation
 * is their ratio.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx3g", "-Dvouch.zk.helper=false"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ZkmlCpuBenchmarks {
  @Param({"MNIST_MLP", "LENET5", "CNN_264K", "KWS_HEAD", "TRANSFORMER_250K"})
  public ZkBenchmarkModels.Kind model;

  /**
   * How the registered model keeps its weight commitments (the same proofs either way): AUTO as
   * registration does; ENCODED and COMPACT for an A/B of the opened columns' cost.
   */
  @Param({"AUTO"})
  public ZkModel.WeightForm weights;

  BenchModel bench;
  ZkModel registered;
  byte[] input;
  byte[] requestId;
  long[] logits;
  byte[] proof;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** CPU time and operations of one iteration, summed (JMH reports both per iteration). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Cpu {
    /** CPU microseconds of the benchmark thread over this iteration's operations. */
    public double cpuMicros;

    /** Operations measured this iteration. */
    public long ops;

    long start;

    @Setup(Level.Invocation)
    public void before() {
      start = THREADS.getCurrentThreadCpuTime();
    }

    void stop() {
      cpuMicros += (THREADS.getCurrentThreadCpuTime() - start) / 1e3;
      ops++;
    }
  }

  @Setup
  public void register() {
    bench = model.build();
    registered = ZkModel.register(bench.model(), weights);
    input = bench.input();
    requestId = new byte[32];
    Arrays.fill(requestId, (byte) 0x5a);
    ProvedInference proved = ZkProver.prove(registered, requestId, input);
    logits = proved.logits();
    proof = proved.proof().toBytes();
  }

  /** The baseline, as in {@link ZkmlBenchmarks#integerInference}. */
  @Benchmark
  public long[] integerInference(Cpu cpu) {
    long[] out = IntegerEngine.run(bench.model(), input);
    cpu.stop();
    return out;
  }

  /** Inference + witness + proof + serialization, on one thread. */
  @Benchmark
  public byte[] prove(Cpu cpu) {
    byte[] bytes = ZkProver.prove(registered, requestId, input).proof().toBytes();
    cpu.stop();
    return bytes;
  }

  /** Parsing + verification (the verifier is single-threaded anyway). */
  @Benchmark
  public long[] verify(Cpu cpu) {
    ZkVerifier.verify(registered.verifyingKey(), requestId, input, logits, proof);
    cpu.stop();
    return logits;
  }
}
