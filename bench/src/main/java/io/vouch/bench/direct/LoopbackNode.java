package io.vouch.bench.direct;

import com.fasterxml.jackson.databind.JsonNode;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.tensor.Tensor;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.node.inference.ReceiptSigner.SequenceStore;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.direct.NodeClient;
import io.vouch.sdk.verify.ResultVerifier;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real {@link NodeApp} on 127.0.0.1 (a free port) serving one {@link BenchModel} at VANILLA, in
 * this JVM, with the SDK's {@link NodeClient} and {@link ResultVerifier} pointed at it: the direct
 * path exactly as a user meets it, minus the network. Also the JSON form and the JDK HttpClient, to
 * compare in the same run.
 */
public final class LoopbackNode implements AutoCloseable {
  /** The node's staked key; also the signer of {@link ReceiptCost}. */
  public static final Secp256k1.KeyPair NODE_KEY =
      Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("vouch-bench-node"));

  /** The EIP-712 domain receipts are signed in (anvil's chain id, a fixed hub address). */
  public static final Eip712Domain DOMAIN =
      Eip712Domain.of(31337, Address.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final BenchModel model;
  private final NodeApp node;
  private final NodeClient client;
  private final NodeClient jsonClient;
  private final HttpClient jdkHttp;
  private final NodeClient jdkJsonClient;
  private final ResultVerifier verifier;
  private final AtomicLong requestCounter = new AtomicLong();

  private LoopbackNode(BenchModel model, NodeApp node) {
    this.model = model;
    this.node = node;
    this.client = new NodeClient(node.baseUrl());
    this.jsonClient = client.withEncoding(NodeClient.Encoding.JSON);
    this.jdkHttp = NodeClient.defaultHttpClient();
    this.jdkJsonClient =
        new NodeClient(jdkHttp, node.baseUrl()).withEncoding(NodeClient.Encoding.JSON);
    this.verifier = new ResultVerifier(DOMAIN, NODE_KEY.address()::equals);
  }

  /** Starts a node serving {@code model}; {@link #close()} stops it. */
  public static LoopbackNode start(BenchModel model) throws Exception {
    NodeConfig config =
        new NodeConfig(
            "127.0.0.1",
            0,
            NODE_KEY,
            DOMAIN.chainId(),
            DOMAIN.verifyingContract(),
            NodeConfig.DEFAULT_MAX_INPUT_ELEMENTS,
            NodeConfig.DEFAULT_MAX_BODY_BYTES,
            BigInteger.ZERO);
    // In-memory sequence reservations: a benchmark node has no restart to survive.
    NodeApp node = new NodeApp(config, Clock.systemUTC(), SequenceStore.inMemory());
    node.load(
        new LoadedModel(
            model.modelId(),
            model.ref().substring(0, model.ref().indexOf('@')),
            1,
            "bafkreibench",
            Set.of(VerificationLevel.VANILLA),
            BigInteger.ONE,
            new OnnxModelRunner(OnnxRuntimeEngine.load(model.onnx()))));
    node.start();
    return new LoopbackNode(model, node);
  }

  /** An HTTP round trip to the node that does no work: the transport floor of the direct path. */
  public JsonNode health() {
    return client.health(TIMEOUT);
  }

  /** One SDK round trip (binary form, the SDK's default); the result is not verified. */
  public InferenceOutcome infer(Tensor input) {
    return client.infer(model.ref(), input, VerificationLevel.VANILLA, nextRequestId(), TIMEOUT);
  }

  /** The same round trip in the JSON form, as other languages call the node. */
  public InferenceOutcome inferJson(Tensor input) {
    return jsonClient.infer(
        model.ref(), input, VerificationLevel.VANILLA, nextRequestId(), TIMEOUT);
  }

  /** The JSON form through the JDK's {@code java.net.http.HttpClient}: the SDK's earlier path. */
  public InferenceOutcome inferJdkHttpClientJson(Tensor input) {
    return jdkJsonClient.infer(
        model.ref(), input, VerificationLevel.VANILLA, nextRequestId(), TIMEOUT);
  }

  /** One SDK round trip followed by the SDK's local check of the signed receipt. */
  public InferenceOutcome inferAndVerify(Tensor input) {
    Bytes32 requestId = nextRequestId();
    InferenceOutcome outcome =
        client.infer(model.ref(), input, VerificationLevel.VANILLA, requestId, TIMEOUT);
    return verifier.verify(outcome, requestId, model.modelId());
  }

  public String baseUrl() {
    return node.baseUrl();
  }

  /** The running node (its executor and metrics serve other servers in front of its routes). */
  public NodeApp app() {
    return node;
  }

  /** A fresh request id per call, as a client would send (cheaper than SecureRandom). */
  private Bytes32 nextRequestId() {
    byte[] id = new byte[32];
    ByteBuffer.wrap(id).putLong(24, requestCounter.incrementAndGet());
    return Bytes32.wrap(id);
  }

  @Override
  public void close() {
    client.close();
    jdkHttp.close();
    node.stop();
  }
}
