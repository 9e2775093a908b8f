package io.vouch.bench.zk;

import io.vouch.benchmodels.ZkBenchmarkModels;
import io.vouch.benchmodels.ZkBenchmarkModels.BenchModel;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.zk.mlp.BatchedModel;
import io.vouch.zk.mlp.ProvedInference;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkProver;
import io.vouch.zk.mlp.ZkVerifier;
import java.util.Arrays;
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
 * Batch proving ({@link BatchedModel}: the MNIST MLP's dense chain over N rows; LeNet-5's
 * convolutions and pools over the items as channels, its dense layers over rows): one proof for
 * {@code items} inputs against the integer inference of the same items one by one, with the prover
 * on one thread and CPU time per operation counted as in {@link ZkmlCpuBenchmarks}. The ratio of
 * record is prove ÷ inference at the same {@code items}; at 1 item the batch is the single model.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx3g", "-Dvouch.zk.helper=false"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ZkmlBatchBenchmarks {
  @Param({"MNIST_MLP", "LENET5"})
  public ZkBenchmarkModels.Kind model;

  @Param({"1", "8", "32"})
  public int items;

  BenchModel bench;
  ZkModel registered;
  byte[][] inputs;
  byte[] batchInput;
  byte[] requestId;
  long[] logits;
  byte[] proof;

  @Setup
  public void register() {
    bench = model.build();
    registered = ZkModel.register(BatchedModel.of(bench.model(), items));
    byte[] x = bench.input();
    inputs = new byte[items][];
    batchInput = new byte[items * x.length];
    for (int n = 0; n < items; n++) {
      // item n: the benchmark input rotated by 7n values (the inference's cost does not depend
      // on the values)
      inputs[n] = new byte[x.length];
      for (int i = 0; i < x.length; i++) {
        inputs[n][i] = x[(i + 7 * n) % x.length];
      }
      System.arraycopy(inputs[n], 0, batchInput, n * x.length, x.length);
    }
    requestId = new byte[32];
    Arrays.fill(requestId, (byte) 0x5a);
    ProvedInference proved = ZkProver.prove(registered, requestId, batchInput);
    logits = proved.logits();
    proof = proved.proof().toBytes();
  }

  /** The baseline: the integer inference of every item, one by one. */
  @Benchmark
  public long integerInference(ZkmlCpuBenchmarks.Cpu cpu) {
    long sum = 0;
    for (byte[] x : inputs) {
      sum += IntegerEngine.run(bench.model(), x)[0];
    }
    cpu.stop();
    return sum;
  }

  /** One proof of the whole batch (inference + witness + proof + serialization), one thread. */
  @Benchmark
  public byte[] prove(ZkmlCpuBenchmarks.Cpu cpu) {
    byte[] bytes = ZkProver.prove(registered, requestId, batchInput).proof().toBytes();
    cpu.stop();
    return bytes;
  }

  /** Parsing + verification of the batch proof. */
  @Benchmark
  public long[] verify(ZkmlCpuBenchmarks.Cpu cpu) {
    ZkVerifier.verify(registered.verifyingKey(), requestId, batchInput, logits, proof);
    cpu.stop();
    return logits;
  }
}
