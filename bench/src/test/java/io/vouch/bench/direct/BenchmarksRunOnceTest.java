package io.vouch.bench.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.sdk.InferenceOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each benchmark's setup, one invocation and teardown, called directly (no JMH, no timing), so a
 * broken benchmark fails the build instead of the next benchmark run.
 */
class BenchmarksRunOnceTest {

  static Tensor expectedOutput(BenchModel model) {
    try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.load(model.onnx())) {
      return engine.run(model.sampleInput());
    }
  }

  @ParameterizedTest
  @EnumSource(BenchModel.class)
  void onnxRuntimeBaselineReturnsOneRowOfScores(BenchModel model) {
    OnnxRuntimeBaseline bench = new OnnxRuntimeBaseline();
    bench.model = model;
    bench.loadModel();
    try {
      Tensor output = bench.run();

      assertThat(output.shape()).hasSize(2).startsWith(1);
      assertThat(bench.runConcurrently()).isEqualTo(output);
    } finally {
      bench.closeModel();
    }
  }

  @ParameterizedTest
  @EnumSource(BenchModel.class)
  void receiptCostSignsTheModelsRealTensorsWithTheNodeKey(BenchModel model) {
    ReceiptCost bench = new ReceiptCost();
    ReceiptCost.ModelTensors tensors = new ReceiptCost.ModelTensors();
    tensors.model = model;
    tensors.runModelOnce();

    SignedReceipt receipt = bench.fullReceipt(tensors);

    assertThat(receipt.signer(LoopbackNode.DOMAIN)).isEqualTo(LoopbackNode.NODE_KEY.address());
    assertThat(receipt.receipt().inputHash()).isEqualTo(model.sampleInput().hash());
    assertThat(receipt.receipt().outputHash()).isEqualTo(expectedOutput(model).hash());
    assertThat(bench.hashesAndDigest(tensors)).isNotEqualTo(Bytes32.ZERO);
  }

  @Test
  void receiptCostSignatureRecoversToTheNodeKey() {
    ReceiptCost bench = new ReceiptCost();
    ReceiptCost.SignedDigests digests = new ReceiptCost.SignedDigests();
    digests.signAll();

    Signature signature = bench.signature(digests);

    assertThat(signature).isEqualTo(digests.signatures[digests.next]);
    assertThat(Secp256k1.recover(digests.digests[digests.next], signature))
        .isEqualTo(LoopbackNode.NODE_KEY.address());
    assertThat(bench.signerRecovery(digests)).isEqualTo(LoopbackNode.NODE_KEY.address());
  }

  @ParameterizedTest
  @EnumSource(BenchModel.class)
  void directPathLatencyGetsTheEnginesOutputAndVerifiesIt(BenchModel model) throws Exception {
    DirectPathLatency bench = new DirectPathLatency();
    DirectPathLatency.ServingNode node = new DirectPathLatency.ServingNode();
    node.model = model;
    node.startNode();
    try {
      InferenceOutcome plain = bench.infer(node);
      InferenceOutcome json = bench.inferJson(node);
      InferenceOutcome jdk = bench.inferJdkHttpClientJson(node);
      InferenceOutcome verified = bench.inferAndVerify(node);

      assertThat(plain.output()).isEqualTo(expectedOutput(model));
      assertThat(json.output()).isEqualTo(plain.output());
      assertThat(jdk.output()).isEqualTo(plain.output());
      assertThat(json.receipt().receipt().outputHash())
          .isEqualTo(plain.receipt().receipt().outputHash());
      assertThat(jdk.receipt().receipt().sequence())
          .isGreaterThan(json.receipt().receipt().sequence());
      assertThat(plain.verification()).isInstanceOf(InferenceOutcome.Verification.Unverified.class);
      assertThat(verified.verification())
          .isInstanceOf(InferenceOutcome.Verification.ClientVerified.class);
      assertThat(verified.requestId()).isNotEqualTo(plain.requestId());
    } finally {
      node.stopNode();
    }
  }

  @Test
  void directPathTransportFloorReachesTheNode() throws Exception {
    DirectPathLatency.IdleNode node = new DirectPathLatency.IdleNode();
    node.startNode();
    try {
      assertThat(new DirectPathLatency().transportFloor(node).path("status").asText())
          .isEqualTo("UP");
    } finally {
      node.stopNode();
    }
  }

  @Test
  void nodeThroughputServesTheEnginesOutput() throws Exception {
    NodeThroughput bench = new NodeThroughput();
    bench.model = BenchModel.MNIST_MLP;
    bench.startNode();
    try {
      assertThat(bench.directPath().output()).isEqualTo(expectedOutput(BenchModel.MNIST_MLP));
    } finally {
      bench.stopNode();
    }
  }

  @Test
  void jmhAnnotationProcessorListedEveryBenchmarkClass() throws IOException {
    String list;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
      assertThat(in).as("META-INF/BenchmarkList written by jmh-generator-annprocess").isNotNull();
      list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(list)
        .contains(
            OnnxRuntimeBaseline.class.getName(),
            ReceiptCost.class.getName(),
            DirectPathLatency.class.getName(),
            NodeThroughput.class.getName());
  }
}
