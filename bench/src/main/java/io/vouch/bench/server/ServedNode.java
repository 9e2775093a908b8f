package io.vouch.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.vouch.bench.direct.BenchModel;
import io.vouch.bench.direct.LoopbackNode;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.Tensor;
import io.vouch.node.NodeConfig;
import io.vouch.node.api.NodeHttpApi;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.direct.NodeClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real node ({@link LoopbackNode}: {@code NodeApp}, its executor, signer and model) reached by
 * the SDK's {@link NodeClient} (binary form) through one {@link NodeServer}: for {@link
 * NodeServer#NODE} the node's own server (as in production), otherwise another server in front of a
 * {@link NodeHttpApi} built on the same executor and metrics, which answers through the same
 * routes.
 */
public final class ServedNode implements AutoCloseable {
  /** The node's default body cap (what {@code NodeConfig} gives the node's own server). */
  static final int MAX_BODY_BYTES = (int) NodeConfig.DEFAULT_MAX_BODY_BYTES;

  /**
   * Warmup iterations (of 2 s) of the server benchmarks: more than the direct-path suite's 3,
   * because Netty's, Jetty's and Helidon's request paths were still getting faster through the
   * measurement after 3 (3.9 ms → 0.3–0.9 ms per request over 5 iterations on the first run).
   */
  static final int WARMUP_ITERATIONS = 8;

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final BenchModel model;
  private final LoopbackNode node;
  private final FrontServer front;
  private final NodeClient client;
  private final AtomicLong requestCounter = new AtomicLong();

  private ServedNode(BenchModel model, LoopbackNode node, FrontServer front, String baseUrl) {
    this.model = model;
    this.node = node;
    this.front = front;
    this.client = new NodeClient(baseUrl);
  }

  public static ServedNode start(NodeServer server, BenchModel model) throws Exception {
    LoopbackNode node = LoopbackNode.start(model);
    if (server == NodeServer.NODE) {
      return new ServedNode(model, node, null, node.baseUrl());
    }
    try {
      NodeHttpApi routes =
          new NodeHttpApi(
              "127.0.0.1", 0, MAX_BODY_BYTES, node.app().executor(), node.app().metrics());
      FrontServer front = server.start(routes, MAX_BODY_BYTES);
      return new ServedNode(model, node, front, "http://127.0.0.1:" + front.port());
    } catch (Exception | Error e) {
      node.close();
      throw e;
    }
  }

  /** One SDK round trip in the binary form, unverified (as {@code DirectPathLatency.infer}). */
  public InferenceOutcome infer(Tensor input) {
    return client.infer(model.ref(), input, VerificationLevel.VANILLA, nextRequestId(), TIMEOUT);
  }

  /** {@code GET /health}: HTTP with no work. */
  public JsonNode health() {
    return client.health(TIMEOUT);
  }

  /** The base URL the client talks to. */
  public String baseUrl() {
    return client.baseUrl();
  }

  private Bytes32 nextRequestId() {
    byte[] id = new byte[32];
    ByteBuffer.wrap(id).putLong(24, requestCounter.incrementAndGet());
    return Bytes32.wrap(id);
  }

  @Override
  public void close() {
    client.close();
    if (front != null) {
      front.close();
    }
    node.close();
  }
}
