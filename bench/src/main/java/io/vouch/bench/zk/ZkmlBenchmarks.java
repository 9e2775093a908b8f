package io.vouch.bench.zk;

import io.vouch.benchmodels.ZkBenchmarkModels;
import io.vouch.benchmodels.ZkBenchmarkModels.BenchModel;
import io.vouch.onnx.quant.IntegerEngine;
import io.vouch.zk.exec.Parallel;
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
 * The ZKML level at batch 1: the integer inference that is proved (the baseline every ZK figure is
 * divided by, measured in the same run), proving it (including serialization, as a node would send
 * it) and verifying it (including parsing). Registration (weight commitments) happens once per
 * model in the setup and is not measured.
 *
 * <p>One fork per model; the 4 M-parameter model's setup quantizes and commits 4.2 M weights (a few
 * seconds) and needs about 1.5 GB of heap, hence {@code -Xmx3g}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = "-Xmx3g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ZkmlBenchmarks {
  @Param({
    "MNIST_MLP",
    "SUPPORT_INTENTS",
    "DENSE_4M",
    "LENET5",
    "CNN_264K",
    "KWS_HEAD",
    "TRANSFORMER_250K"
  })
  public ZkBenchmarkModels.Kind model;

  BenchModel bench;
  ZkModel registered;
  byte[] input;
  byte[] requestId;
  long[] logits;
  byte[] proof;

  @Setup
  public void register() {
    bench = model.build();
    registered = ZkModel.register(bench.model());
    input = bench.input();
    requestId = new byte[32];
    Arrays.fill(requestId, (byte) 0x5a);
    ProvedInference proved = ZkProver.prove(registered, requestId, input);
    logits = proved.logits();
    proof = proved.proof().toBytes();
  }

  /** The baseline: {@link IntegerEngine#run}, the computation the proof is about. */
  @Benchmark
  public long[] integerInference() {
    return IntegerEngine.run(bench.model(), input);
  }

  /** Inference + witness + proof + serialization. */
  @Benchmark
  public byte[] prove() {
    return ZkProver.prove(registered, requestId, input).proof().toBytes();
  }

  /** Parsing + verification of a valid proof (throws if it does not verify). */
  @Benchmark
  public long[] verify() {
    ZkVerifier.verify(registered.verifyingKey(), requestId, input, logits, proof);
    return logits;
  }

  /**
   * {@link #verify} with every check on the calling thread: the baseline of what handing the
   * deferred checks (openings, structured tables) to the helper thread gains.
   */
  @Benchmark
  public long[] verifyOnOneThread() {
    return Parallel.onThisThread(this::verify);
  }
}
