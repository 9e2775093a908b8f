package io.vouch.bench.direct;

import static io.vouch.bench.direct.BenchmarkSettings.CONCURRENT_CLIENTS;
import static io.vouch.bench.direct.BenchmarkSettings.ITERATION_SECONDS;
import static io.vouch.bench.direct.BenchmarkSettings.MEASUREMENT_ITERATIONS;
import static io.vouch.bench.direct.BenchmarkSettings.NATIVE_ACCESS;
import static io.vouch.bench.direct.BenchmarkSettings.QUIET_NODE_LOG;
import static io.vouch.bench.direct.BenchmarkSettings.WARMUP_ITERATIONS;

import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.OnnxRuntimeEngine;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline every other figure is divided by: ONNX Runtime alone, through {@link
 * OnnxRuntimeEngine#run(Tensor)} with the node's engine settings (one intra-op thread, input
 * validation, tensor conversion in and out). Nothing of Vouch's request path is in it.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {NATIVE_ACCESS, QUIET_NODE_LOG})
@Warmup(iterations = WARMUP_ITERATIONS, time = ITERATION_SECONDS)
@Measurement(iterations = MEASUREMENT_ITERATIONS, time = ITERATION_SECONDS)
public class OnnxRuntimeBaseline {
  @Param({"MNIST_MLP", "SUPPORT_INTENTS"})
  public BenchModel model;

  OnnxRuntimeEngine engine;
  Tensor input;

  @Setup(Level.Trial)
  public void loadModel() {
    engine = OnnxRuntimeEngine.load(model.onnx());
    input = model.sampleInput();
  }

  @TearDown(Level.Trial)
  public void closeModel() {
    engine.close();
  }

  /** Latency of one batch-1 inference: the denominator of the latency ratios. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Tensor run() {
    return engine.run(input);
  }

  /**
   * Inferences per second with as many concurrent callers as {@link NodeThroughput} has clients:
   * the denominator of the throughput ratio.
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(CONCURRENT_CLIENTS)
  public Tensor runConcurrently() {
    return engine.run(input);
  }
}
