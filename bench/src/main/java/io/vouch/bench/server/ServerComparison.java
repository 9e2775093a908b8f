package io.vouch.bench.server;

import static io.vouch.bench.direct.BenchmarkSettings.ITERATION_SECONDS;
import static io.vouch.bench.direct.BenchmarkSettings.MEASUREMENT_ITERATIONS;
import static io.vouch.bench.direct.BenchmarkSettings.NATIVE_ACCESS;
import static io.vouch.bench.direct.BenchmarkSettings.QUIET_NODE_LOG;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The direct path's round trip, one request at a time, behind each {@link NodeServer}: {@link
 * #infer} is {@code DirectPathLatency.infer} (SDK {@code NodeClient}, binary form → loopback → node
 * routes, ONNX Runtime, signed receipt → back) with the server as the only difference, {@link
 * #health} is {@code GET /health} (HTTP with no work). Divide by {@code OnnxRuntimeBaseline.run} of
 * the same run.
 */
@Fork(
    value = 1,
    jvmArgsAppend = {NATIVE_ACCESS, QUIET_NODE_LOG})
@Warmup(iterations = ServedNode.WARMUP_ITERATIONS, time = ITERATION_SECONDS)
@Measurement(iterations = MEASUREMENT_ITERATIONS, time = ITERATION_SECONDS)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ServerComparison {

  /** A node serving the chosen model behind the chosen server, started once per trial. */
  @State(Scope.Benchmark)
  public static class Serving {
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
  }

  /** A node behind the chosen server for {@code GET /health}; the model does not matter. */
  @State(Scope.Benchmark)
  public static class Idle {
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

    ServedNode node;

    @Setup(Level.Trial)
    public void start() throws Exception {
      node = ServedNode.start(server, BenchModel.MNIST_MLP);
    }

    @TearDown(Level.Trial)
    public void stop() {
      node.close();
    }
  }

  @Benchmark
  public InferenceOutcome infer(Serving s) {
    return s.node.infer(s.input);
  }

  @Benchmark
  public JsonNode health(Idle s) {
    return s.node.health();
  }
}
