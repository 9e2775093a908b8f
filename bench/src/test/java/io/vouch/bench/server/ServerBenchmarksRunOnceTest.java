package io.vouch.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.bench.direct.BenchModel;
import io.vouch.bench.direct.LoopbackNode;
import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.sdk.InferenceOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each server benchmark's setup, one invocation and teardown, called directly (no JMH, no timing),
 * for every server: a server whose adapter breaks fails the build instead of the next benchmark
 * run.
 */
class ServerBenchmarksRunOnceTest {
  static final Map<BenchModel, Tensor> EXPECTED = new EnumMap<>(BenchModel.class);

  @BeforeAll
  static void runTheEngineAlone() {
    for (BenchModel model : BenchModel.values()) {
      try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.load(model.onnx())) {
        EXPECTED.put(model, engine.run(model.sampleInput()));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(NodeServer.class)
  void inferThroughEachServerGetsTheEnginesOutputSignedByTheNode(NodeServer server)
      throws Exception {
    for (BenchModel model : BenchModel.values()) {
      ServerComparison.Serving s = new ServerComparison.Serving();
      s.server = server;
      s.model = model;
      s.start();
      try {
        InferenceOutcome first = new ServerComparison().infer(s);
        InferenceOutcome second = new ServerComparison().infer(s);

        assertThat(first.output()).isEqualTo(EXPECTED.get(model));
        assertThat(first.receipt().signer(LoopbackNode.DOMAIN))
            .isEqualTo(LoopbackNode.NODE_KEY.address());
        assertThat(second.receipt().receipt().sequence())
            .isGreaterThan(first.receipt().receipt().sequence());
      } finally {
        s.stop();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(NodeServer.class)
  void healthThroughEachServerIsUp(NodeServer server) throws Exception {
    ServerComparison.Idle s = new ServerComparison.Idle();
    s.server = server;
    s.start();
    try {
      assertThat(new ServerComparison().health(s).path("status").asText()).isEqualTo("UP");
    } finally {
      s.stop();
    }
  }

  @ParameterizedTest
  @EnumSource(NodeServer.class)
  void throughputBenchmarkServesTheEnginesOutput(NodeServer server) throws Exception {
    ServerThroughput bench = new ServerThroughput();
    bench.server = server;
    bench.model = BenchModel.MNIST_MLP;
    bench.start();
    try {
      assertThat(bench.infer().output()).isEqualTo(EXPECTED.get(BenchModel.MNIST_MLP));
    } finally {
      bench.stop();
    }
  }

  @ParameterizedTest
  @EnumSource(NodeServer.class)
  void attackProbeSeesAWellFormedChunkedBodyReachTheRoutesAndClPlusTeRefused(NodeServer server)
      throws Exception {
    try (ServedNode node = ServedNode.start(server, BenchModel.MNIST_MLP)) {
      Map<String, String> cases = ServerAttackProbe.framingCases();

      assertThat(ServerAttackProbe.firstLine(node, cases.get("well-formed chunked body (control)")))
          .isEqualTo("405");
      assertThat(ServerAttackProbe.firstLine(node, cases.get("Content-Length + Transfer-Encoding")))
          .isEqualTo("400");
    }
  }

  @Test
  void jmhAnnotationProcessorListedTheServerBenchmarks() throws IOException {
    String list;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
      assertThat(in).as("META-INF/BenchmarkList written by jmh-generator-annprocess").isNotNull();
      list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(list).contains(ServerComparison.class.getName(), ServerThroughput.class.getName());
  }
}
