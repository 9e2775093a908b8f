package io.vouch.bench.direct;

import static io.vouch.bench.direct.BenchmarkSettings.ITERATION_SECONDS;
import static io.vouch.bench.direct.BenchmarkSettings.MEASUREMENT_ITERATIONS;
import static io.vouch.bench.direct.BenchmarkSettings.NATIVE_ACCESS;
import static io.vouch.bench.direct.BenchmarkSettings.QUIET_NODE_LOG;
import static io.vouch.bench.direct.BenchmarkSettings.WARMUP_ITERATIONS;

import com.fasterxml.jackson.databind.JsonNode;
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
 * One direct-path request end to end, one at a time: SDK {@code NodeClient.infer} → HTTP/1.1 on
 * loopback → node (input checks, ONNX Runtime, tensor hashes, EIP-712 receipt signature) → SDK, in
 * the binary form the SDK uses ({@link #infer}), in JSON ({@link #inferJson}) and in JSON through
 * the JDK's HttpClient ({@link #inferJdkHttpClientJson}, the SDK's earlier path). Client and node
 * share the forked JVM, so both sides' CPU is in the figure, as it would be on one host; the
 * network is not. {@link #transportFloor} times a request the node answers without any work, to
 * separate the HTTP stack from Vouch's own cost.
 */
@Fork(
    value = 1,
    jvmArgsAppend = {NATIVE_ACCESS, QUIET_NODE_LOG})
@Warmup(iterations = WARMUP_ITERATIONS, time = ITERATION_SECONDS)
@Measurement(iterations = MEASUREMENT_ITERATIONS, time = ITERATION_SECONDS)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DirectPathLatency {

  /** A node serving the chosen model, started once per trial. */
  @State(Scope.Benchmark)
  public static class ServingNode {
    @Param({"MNIST_MLP", "SUPPORT_INTENTS"})
    public BenchModel model;

    LoopbackNode node;
    Tensor input;

    @Setup(Level.Trial)
    public void startNode() throws Exception {
      node = LoopbackNode.start(model);
      input = model.sampleInput();
    }

    @TearDown(Level.Trial)
    public void stopNode() {
      node.close();
    }
  }

  /** A node for the transport floor; which model it serves does not matter. */
  @State(Scope.Benchmark)
  public static class IdleNode {
    LoopbackNode node;

    @Setup(Level.Trial)
    public void startNode() throws Exception {
      node = LoopbackNode.start(BenchModel.MNIST_MLP);
    }

    @TearDown(Level.Trial)
    public void stopNode() {
      node.close();
    }
  }

  /** The round trip, result not yet verified by the SDK. */
  @Benchmark
  public InferenceOutcome infer(ServingNode s) {
    return s.node.infer(s.input);
  }

  /** The same round trip in the JSON form (base64 tensors, JSON objects), same HTTP client. */
  @Benchmark
  public InferenceOutcome inferJson(ServingNode s) {
    return s.node.inferJson(s.input);
  }

  /** JSON through the JDK's {@code java.net.http.HttpClient}: the path the SDK took before. */
  @Benchmark
  public InferenceOutcome inferJdkHttpClientJson(ServingNode s) {
    return s.node.inferJdkHttpClientJson(s.input);
  }

  /** The round trip plus the SDK's local verification (hashes again, signer recovery). */
  @Benchmark
  public InferenceOutcome inferAndVerify(ServingNode s) {
    return s.node.inferAndVerify(s.input);
  }

  /** {@code GET /health} through the same HTTP client: what HTTP alone costs on this machine. */
  @Benchmark
  public JsonNode transportFloor(IdleNode s) {
    return s.node.health();
  }
}
