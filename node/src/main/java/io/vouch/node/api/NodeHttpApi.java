package io.vouch.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.json.ReceiptJson;
import io.vouch.core.json.TensorJson;
import io.vouch.core.tensor.Tensor;
import io.vouch.node.inference.InferenceExecutor;
import io.vouch.node.inference.InferenceRequest;
import io.vouch.node.inference.InferenceResult;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.metrics.NodeMetrics;
import io.vouch.node.service.Service;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API (JSON; described in {@code openapi.json}, served at {@code /openapi.json}).
 * Built on the JDK's HTTP server with one virtual thread per exchange: no framework outside this
 * package.
 */
public final class NodeHttpApi extends Service {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHttpApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String host;
  private final int requestedPort;
  private final long maxBodyBytes;
  private final InferenceExecutor executor;
  private final NodeMetrics metrics;
  private HttpServer server;
  private ExecutorService threads;

  public NodeHttpApi(
      String host, int port, long maxBodyBytes, InferenceExecutor executor, NodeMetrics metrics) {
    this.host = host;
    this.requestedPort = port;
    this.maxBodyBytes = maxBodyBytes;
    this.executor = executor;
    this.metrics = metrics;
  }

  @Override
  protected void doStart() throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, requestedPort), 256);
    threads = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(threads);
    server.createContext("/v1/infer", ex -> handle(ex, "POST", this::infer));
    server.createContext("/v1/models", ex -> handle(ex, "GET", this::models));
    server.createContext("/health", ex -> handle(ex, "GET", this::health));
    server.createContext("/metrics", this::metricsText);
    server.createContext("/openapi.json", this::openApi);
    server.start();
    LOG.info("node API listening on http://{}:{}", host, port());
  }

  @Override
  protected void doStop() {
    server.stop(1);
    threads.close();
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  public String baseUrl() {
    return "http://" + host + ":" + port();
  }

  private interface JsonHandler {
    JsonNode handle(JsonNode body) throws IOException;
  }

  private void handle(HttpExchange ex, String method, JsonHandler handler) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals(method)) {
        ex.getResponseHeaders().add("Allow", method);
        send(
            ex,
            405,
            error("METHOD_NOT_ALLOWED", ex.getRequestMethod() + " is not allowed; use " + method));
        return;
      }
      JsonNode body = null;
      if (method.equals("POST")) {
        byte[] raw = readBody(ex);
        if (raw == null) {
          metrics.countRequest(ErrorCode.PAYLOAD_TOO_LARGE.name());
          send(
              ex,
              413,
              error(
                  ErrorCode.PAYLOAD_TOO_LARGE.name(),
                  "request body exceeds " + maxBodyBytes + " bytes"));
          return;
        }
        try {
          body = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
          metrics.countRequest(ErrorCode.BAD_INPUT.name());
          send(
              ex,
              400,
              error(ErrorCode.BAD_INPUT.name(), "body is not JSON: " + e.getOriginalMessage()));
          return;
        }
      }
      try {
        send(ex, 200, handler.handle(body));
      } catch (VouchException e) {
        metrics.countRequest(e.code().name());
        send(ex, e.code().httpStatus(), error(e.code().name(), e.getMessage()));
      } catch (IllegalArgumentException e) {
        metrics.countRequest(ErrorCode.BAD_INPUT.name());
        send(ex, 400, error(ErrorCode.BAD_INPUT.name(), e.getMessage()));
      } catch (RuntimeException e) {
        LOG.error("internal error on {}", ex.getRequestURI(), e);
        metrics.countRequest(ErrorCode.INTERNAL.name());
        send(ex, 500, error(ErrorCode.INTERNAL.name(), "internal error: " + e));
      }
    }
  }

  private JsonNode infer(JsonNode body) {
    long t0 = System.nanoTime();
    if (body == null || !body.isObject()) {
      throw new VouchException(
          ErrorCode.BAD_INPUT, "body must be a JSON object; see /openapi.json");
    }
    String model = requiredText(body, "model");
    Tensor input = TensorJson.fromJson(body.get("input"));
    VerificationLevel level =
        body.hasNonNull("level")
            ? VerificationLevel.parse(body.get("level").asText())
            : VerificationLevel.VANILLA;
    Bytes32 requestId =
        body.hasNonNull("requestId")
            ? Bytes32.fromHex(body.get("requestId").asText())
            : randomRequestId();
    InferenceResult r = executor.execute(new InferenceRequest(model, input, level, requestId));
    ObjectNode out = JSON.createObjectNode();
    out.put("requestId", requestId.toHex());
    out.put("modelId", r.model().modelId().toHex());
    out.put("model", r.model().ref());
    out.put("level", level.name());
    out.set("output", TensorJson.toJson(r.output()));
    out.set("receipt", ReceiptJson.toJson(r.receipt()));
    out.put("chainId", executor.signer().domain().chainId());
    out.put("hub", executor.signer().domain().verifyingContract().toHex());
    out.put("executionMicros", r.executionMicros());
    metrics.countRequest("ok");
    metrics.observeLatencyMicros((System.nanoTime() - t0) / 1_000);
    return out;
  }

  private JsonNode models(JsonNode ignored) {
    ArrayNode arr = JSON.createArrayNode();
    for (LoadedModel m : executor.catalog().all()) {
      ObjectNode o = arr.addObject();
      o.put("modelId", m.modelId().toHex());
      o.put("name", m.name());
      o.put("version", m.version());
      o.put("cid", m.cid());
      ArrayNode levels = o.putArray("levels");
      m.levels().stream().sorted().forEach(l -> levels.add(l.name()));
      o.put("priceWei", m.priceWei().toString());
    }
    ObjectNode out = JSON.createObjectNode();
    out.set("models", arr);
    return out;
  }

  private JsonNode health(JsonNode ignored) {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", "UP");
    o.put("node", executor.signer().address().toHex());
    o.put("chainId", executor.signer().domain().chainId());
    o.put("hub", executor.signer().domain().verifyingContract().toHex());
    o.put("models", executor.catalog().all().size());
    return o;
  }

  private void metricsText(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, Number> gauges = new LinkedHashMap<>();
      gauges.put("vouch_models_loaded", executor.catalog().all().size());
      gauges.put("vouch_receipt_sequence", executor.signer().lastSequence());
      byte[] b = metrics.prometheusText(gauges).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
    }
  }

  private void openApi(HttpExchange ex) throws IOException {
    try (ex;
        InputStream in = NodeHttpApi.class.getResourceAsStream("openapi.json")) {
      byte[] b = in.readAllBytes();
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
    }
  }

  private byte[] readBody(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      return b.length > maxBodyBytes ? null : b;
    }
  }

  private static String requiredText(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new VouchException(ErrorCode.BAD_INPUT, "field '" + field + "' is required (text)");
    }
    return v.asText();
  }

  private static Bytes32 randomRequestId() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Bytes32.wrap(b);
  }

  private static ObjectNode error(String code, String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("error", code);
    o.put("message", message);
    return o;
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] b = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }
}
