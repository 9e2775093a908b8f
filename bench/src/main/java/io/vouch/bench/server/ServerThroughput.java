package io.vouch.bench.server;

import static io.vouch.bench.direct.BenchmarkSettings.CONCURRENT_CLIENTS;
import static io.vouch.bench.direct.BenchmarkSettings.ITERATION_SECONDS;
import static io.vouch.bench.direct.BenchmarkSettings.MEASUREMENT_ITERATIONS;
import static io.vouch.bench.direct.BenchmarkSettings.NATIVE_ACCESS;
import static io.vouch.bench.direct.BenchmarkSettings.QUIET_NODE_LOG;

import io.vouch.bench.direct.BenchModel;
import io.vouch.core.tensor.Tensor;
import io.vouch.sdk.InferenceOutcome;
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
 * Requests per second one node serves to 4 concurrent SDK clients (JMH threads sharing one {@code
 * NodeClient} and its connections) behind each {@link NodeServer}: {@code
 * NodeThroughput.directPath} with the server as the only difference. Divide by {@code
 * OnnxRuntimeBaseline.runConcurrently} of the same run.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {NATIVE_ACCESS, QUIET_NODE_LOG})
@Warmup(iterations = ServedNode.WARMUP_ITERATIONS, time = ITERATION_SECONDS)
@Measurement(iterations = MEASUREMENT_ITERATIONS, time = ITERATION_SECONDS)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(CONCURRENT_CLIENTS)
public class ServerThroughput {
  @Param({
    "NODE",
    "NETTY_NIO_LOOP",
    "NETTY_NIO_OFFLOAD",
    "NETTY_EPOLL_LOOP",
    "NETTY_EPOLL_OFFLOAD",
    "JETTY",
    "JETTY_ASYNC",
    "HELIDON"
  })
  public NodeServer server;

  @Param({"MNIST_MLP", "SUPPORT_INTENTS"})
  public BenchModel model;

  ServedNode node;
  Tensor input;

  @Setup(Level.Trial)
  public void start() throws Exception {
    node = ServedNode.start(server, model);
    input = model.sampleInput();
  }

  @TearDown(Level.Trial)
  public void stop() {
    node.close();
  }

  @Benchmark
  public InferenceOutcome infer() {
    return node.infer(input);
  }
}
