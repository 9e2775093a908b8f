package io.vouch.sdk.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.Tensor;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.node.inference.ReceiptSigner;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClientException;
import io.vouch.sdk.verify.ResultVerifier;
import java.math.BigInteger;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NodeClient} against a real node on loopback running a real model in ONNX Runtime: the
 * binary form, JSON and the JDK HttpClient give the same verifiable result, and failures keep their
 * codes.
 */
class NodeClientTest {
  static final Secp256k1.KeyPair NODE_KEY =
      Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("node-client-test"));
  static final Eip712Domain DOMAIN =
      Eip712Domain.of(31337, Address.fromHex("0x00000000000000000000000000000000000000bb"));
  static final Bytes32 MODEL_ID = Keccak.hash("client-mlp@1");
  static final int IN = 12;
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  static byte[] onnx;
  static Tensor expected;
  static final Tensor INPUT = Tensor.ofFloats(new int[] {1, IN}, inputs());

  NodeApp node;
  NodeClient client;
  final ResultVerifier verifier = new ResultVerifier(DOMAIN, NODE_KEY.address()::equals);

  static float[] inputs() {
    float[] x = new float[IN];
    for (int i = 0; i < IN; i++) {
      x[i] = 0.3f * i - 1;
    }
    return x;
  }

  @BeforeAll
  static void model() {
    onnx = TestModels.randomMlpOnnx(5, IN, 6, 3);
    try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.load(onnx)) {
      expected = engine.run(INPUT);
    }
  }

  static NodeApp startNode(int port) throws Exception {
    NodeConfig config =
        new NodeConfig(
            "127.0.0.1",
            port,
            NODE_KEY,
            DOMAIN.chainId(),
            DOMAIN.verifyingContract(),
            1_000,
            1 << 20,
            BigInteger.ZERO);
    NodeApp app = new NodeApp(config, Clock.systemUTC(), ReceiptSigner.SequenceStore.inMemory());
    app.load(
        new LoadedModel(
            MODEL_ID,
            "client-mlp",
            1,
            "bafkreiclient",
            Set.of(VerificationLevel.VANILLA),
            BigInteger.ZERO,
            new OnnxModelRunner(OnnxRuntimeEngine.load(onnx))));
    app.start();
    return app;
  }

  @BeforeEach
  void start() throws Exception {
    node = startNode(0);
    client = new NodeClient(node.baseUrl());
  }

  @AfterEach
  void stop() {
    client.close();
    if (node != null) {
      node.stop();
    }
  }

  InferenceOutcome inferAndVerify(NodeClient c, String name) {
    Bytes32 id = Keccak.hash(name);
    InferenceOutcome o = c.infer("client-mlp@1", INPUT, VerificationLevel.VANILLA, id, TIMEOUT);
    return verifier.verify(o, id, MODEL_ID);
  }

  @Test
  void theBinaryFormIsTheDefaultAndGivesAVerifiedResult() {
    InferenceOutcome r = inferAndVerify(client, "binary");

    assertThat(client.encoding()).isEqualTo(NodeClient.Encoding.BINARY);
    assertThat(r.output()).isEqualTo(expected);
    assertThat(r.verification()).isInstanceOf(InferenceOutcome.Verification.ClientVerified.class);
    assertThat(r.node()).isEqualTo(NODE_KEY.address());
    assertThat(r.domain()).isEqualTo(DOMAIN);
    assertThat(r.modelRef()).isEqualTo("client-mlp@1");
    assertThat(r.level()).isEqualTo(VerificationLevel.VANILLA);
  }

  @Test
  void jsonAndTheJdkHttpClientGiveTheSameResultAsTheBinaryForm() {
    InferenceOutcome binary = inferAndVerify(client, "same-1");
    InferenceOutcome json = inferAndVerify(client.withEncoding(NodeClient.Encoding.JSON), "same-2");
    InferenceOutcome jdk =
        inferAndVerify(new NodeClient(NodeClient.defaultHttpClient(), node.baseUrl()), "same-3");

    assertThat(json.output()).isEqualTo(binary.output());
    assertThat(jdk.output()).isEqualTo(binary.output());
    assertThat(json.receipt().receipt().outputHash())
        .isEqualTo(binary.receipt().receipt().outputHash());
    assertThat(jdk.receipt().receipt().inputHash())
        .isEqualTo(binary.receipt().receipt().inputHash());
  }

  @Test
  void aTamperedBinaryResultFailsVerification() {
    Bytes32 id = Keccak.hash("tamper");
    InferenceOutcome o =
        client.infer("client-mlp@1", INPUT, VerificationLevel.VANILLA, id, TIMEOUT);
    float[] out = o.output().toFloats();
    out[0] += 1;
    InferenceOutcome tampered =
        new InferenceOutcome(
            o.requestId(),
            o.modelId(),
            o.modelRef(),
            o.level(),
            o.input(),
            Tensor.ofFloats(o.output().shape(), out),
            o.receipt(),
            o.domain(),
            o.nodeEndpoint(),
            o.verification());

    assertThatThrownBy(() -> verifier.verify(tampered, id, MODEL_ID))
        .isInstanceOfSatisfying(
            VouchClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION_FAILED))
        .hasMessageContaining("output hash");
  }

  @Test
  void theNodesRefusalsKeepTheirCodesInTheBinaryForm() {
    Tensor wrongShape = Tensor.ofFloats(new int[] {1, IN + 1}, new float[IN + 1]);

    assertThatThrownBy(
            () -> client.infer("nope@9", INPUT, VerificationLevel.VANILLA, Bytes32.ZERO, TIMEOUT))
        .isInstanceOfSatisfying(
            VouchClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_MODEL));
    assertThatThrownBy(() ->
            client.infer(
                "client-mlp@1", wrongShape, VerificationLevel.VANILLA, Bytes32.ZERO, TIMEOUT))
        .isInstanceOfSatisfying(
            VouchClientException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT))
        .hasMessageContaining(String.valueOf(IN));
  }

  @Test
  void aStoppedNodeIsNodeUnavailable() {
    inferAndVerify(client, "before-stop");
    String url = node.baseUrl();
    node.stop();
    node = null;

    assertThatThrownBy(() -> inferAndVerify(client, "after-stop"))
        .isInstanceOfSatisfying(
            VouchClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE))
        .hasMessageContaining(url);
  }

  @Test
  void aRestartedNodeIsReachedAgainOnANewConnection() throws Exception {
    inferAndVerify(client, "before-restart");
    int port = URI.create(node.baseUrl()).getPort();
    node.stop();
    node = startNode(port);

    InferenceOutcome r = inferAndVerify(client, "after-restart");

    assertThat(r.output()).isEqualTo(expected);
  }

  @Test
  void healthAndModelsAreReadOverTheSameConnections() {
    assertThat(client.health(TIMEOUT).get("node").asText()).isEqualTo(NODE_KEY.address().toHex());
    assertThat(client.models(TIMEOUT).at("/models/0/modelId").asText()).isEqualTo(MODEL_ID.toHex());
  }
}
