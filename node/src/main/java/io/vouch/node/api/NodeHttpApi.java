package io.vouch.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Signature;
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
import io.vouch.node.settlement.DirectSettlement;
import io.vouch.node.settlement.InclusionProof;
import io.vouch.node.settlement.PaymentRequiredException;
import io.vouch.node.settlement.ReceiptBatcher;
import io.vouch.node.settlement.VoucherGate;
import io.vouch.node.settlement.VoucherOffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
  private volatile DirectSettlement settlement;
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

  /**
   * Turns on direct-path payment and settlement (vouchers, receipt log, proofs, {@code
   * /v1/settle}); without it the node serves for free and keeps no receipt log. Set before start.
   */
  public void settlement(DirectSettlement settlement) {
    this.settlement = settlement;
  }

  @Override
  protected void doStart() throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, requestedPort), 256);
    threads = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(threads);
    server.createContext("/v1/infer", ex -> handle(ex, "POST", (x, b) -> infer(b)));
    server.createContext("/v1/models", ex -> handle(ex, "GET", (x, b) -> models(b)));
    server.createContext("/v1/receipts/", ex -> handle(ex, "GET", this::receiptProof));
    server.createContext("/v1/settle", ex -> handle(ex, "POST", this::settle));
    server.createContext("/v1/proofs/", this::proofBytes);
    server.createContext("/health", ex -> handle(ex, "GET", (x, b) -> health(b)));
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
    JsonNode handle(HttpExchange ex, JsonNode body) throws IOException;
  }

  /** A refusal outside the shared error codes (not found, forbidden): status, name, message. */
  private static final class HttpError extends RuntimeException {
    final int status;
    final String code;

    HttpError(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
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
          body = raw.length == 0 ? null : JSON.readTree(raw);
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
        send(ex, 200, handler.handle(ex, body));
      } catch (PaymentRequiredException e) {
        metrics.countRequest(e.code().name());
        ObjectNode o = error(e.code().name(), e.getMessage());
        o.put("price", e.price().toString());
        o.put("heldCumulative", e.heldCumulative().toString());
        o.put("node", e.node().toHex());
        send(ex, e.code().httpStatus(), o);
      } catch (HttpError e) {
        metrics.countRequest(e.code);
        send(ex, e.status, error(e.code, e.getMessage()));
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
    Optional<VoucherOffer> voucher = voucher(body.get("voucher"));
    DirectSettlement paying = settlement;
    VoucherGate.Admission admission = new VoucherGate.Admission.Free();
    if (paying != null) {
      admission = paying.admit(voucher, executor.catalog().resolve(model));
    }
    InferenceResult r = executor.execute(new InferenceRequest(model, input, level, requestId));
    Bytes32 digest =
        paying != null
            ? paying.record(admission, r.receipt())
            : r.receipt().receipt().digest(executor.signer().domain());
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
    out.put("receiptDigest", digest.toHex());
    // ZKML: the proof the receipt's evidenceHash (keccak256 of these bytes) names, verified by the
    // client against the registry's zkModelId; output is then the int64 logits
    r.proof().ifPresent(p -> out.put("proof", java.util.Base64.getEncoder().encodeToString(p)));
    if (admission instanceof VoucherGate.Admission.Paid paid) {
      ObjectNode p = out.putObject("payment");
      p.put("payer", paid.voucher().payer().toHex());
      p.put("cumulativeAmount", paid.voucher().cumulativeAmount().toString());
      p.put("price", paid.price().toString());
    }
    metrics.countRequest("ok");
    metrics.observeLatencyMicros((System.nanoTime() - t0) / 1_000);
    return out;
  }

  /** The optional {@code "voucher": {payer, cumulativeAmount, signature[, node]}} of a request. */
  private static Optional<VoucherOffer> voucher(JsonNode v) {
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isObject()) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "'voucher' must be an object {payer, cumulativeAmount, signature}; see /openapi.json");
    }
    try {
      Address payer = Address.fromHex(requiredText(v, "payer"));
      JsonNode amount = v.get("cumulativeAmount");
      if (amount == null || !(amount.isTextual() || amount.isIntegralNumber())) {
        throw new VouchException(
            ErrorCode.BAD_INPUT, "voucher field 'cumulativeAmount' is required (decimal wei)");
      }
      BigInteger cumulative = new BigInteger(amount.asText());
      Signature signature = Signature.fromHex(requiredText(v, "signature"));
      Optional<Address> node =
          v.hasNonNull("node")
              ? Optional.of(Address.fromHex(v.get("node").asText()))
              : Optional.empty();
      return Optional.of(new VoucherOffer(payer, node, cumulative, signature));
    } catch (IllegalArgumentException e) {
      throw new VouchException(ErrorCode.BAD_INPUT, "malformed voucher: " + e.getMessage());
    }
  }

  /** {@code GET /v1/receipts/{digest}/proof}: where a direct-path receipt is in a posted batch. */
  private JsonNode receiptProof(HttpExchange ex, JsonNode ignored) {
    String path = ex.getRequestURI().getPath();
    String[] parts = path.split("/");
    // "", "v1", "receipts", digest, "proof"
    if (parts.length != 5 || !parts[4].equals("proof")) {
      throw new HttpError(404, "NOT_FOUND", "no such resource " + path + "; see /openapi.json");
    }
    Bytes32 digest;
    try {
      digest = Bytes32.fromHex(parts[3]);
    } catch (IllegalArgumentException e) {
      throw new VouchException(
          ErrorCode.BAD_INPUT, "receipt digest must be 32 bytes hex: " + e.getMessage());
    }
    DirectSettlement s = settlement;
    if (s == null) {
      throw new HttpError(
          404,
          "NOT_BATCHED",
          "this node runs without a chain (direct-only mode) and batches no receipts");
    }
    Optional<InclusionProof> proof;
    try {
      proof = s.proof(digest);
    } catch (ReceiptBatcher.UnknownReceiptException e) {
      throw new HttpError(404, "UNKNOWN_RECEIPT", e.getMessage());
    }
    if (proof.isEmpty()) {
      throw new HttpError(
          404,
          "NOT_BATCHED",
          "receipt "
              + digest
              + " is not in a posted batch yet; ask again after the next receipt root is posted");
    }
    InclusionProof p = proof.get();
    ObjectNode o = JSON.createObjectNode();
    o.put("digest", p.digest().toHex());
    o.put("batchId", p.batchId());
    o.put("root", p.root().toHex());
    ArrayNode siblings = o.putArray("proof");
    p.proof().forEach(h -> siblings.add(h.toHex()));
    o.put("index", p.index());
    return o;
  }

  /** {@code POST /v1/settle} (loopback only): post the waiting receipts' root, redeem vouchers. */
  private JsonNode settle(HttpExchange ex, JsonNode ignored) {
    if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
      throw new HttpError(
          403, "FORBIDDEN", "/v1/settle is an admin endpoint: call it from the node's own host");
    }
    DirectSettlement s = settlement;
    if (s == null) {
      throw new HttpError(
          409,
          "NOT_ON_CHAIN",
          "this node runs without a chain (direct-only mode): nothing to settle");
    }
    DirectSettlement.Settled done = s.settleNow();
    ObjectNode o = JSON.createObjectNode();
    if (done.batch().isPresent()) {
      var b = done.batch().get();
      ObjectNode batch = o.putObject("batch");
      batch.put("batchId", b.batchId());
      batch.put("root", b.root().toHex());
      batch.put("count", b.count());
      batch.put("tx", b.txHash());
    } else {
      o.putNull("batch");
    }
    ArrayNode redemptions = o.putArray("redemptions");
    for (var r : done.redemptions()) {
      ObjectNode x = redemptions.addObject();
      x.put("payer", r.payer().toHex());
      x.put("cumulativeAmount", r.cumulativeAmount().toString());
      x.put("paid", r.paidWei().toString());
      x.put("shortfall", r.shortfallWei().toString());
      x.put("tx", r.txHash());
    }
    return o;
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

  /**
   * {@code GET /v1/proofs/{hash}}: the ZKML proof whose keccak256 is {@code hash} (a receipt's
   * evidenceHash), as {@code application/octet-stream}; anyone may fetch and verify it.
   */
  private void proofBytes(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET")) {
        ex.getResponseHeaders().add("Allow", "GET");
        send(
            ex,
            405,
            error("METHOD_NOT_ALLOWED", ex.getRequestMethod() + " is not allowed; use GET"));
        return;
      }
      String hex = ex.getRequestURI().getPath().substring("/v1/proofs/".length());
      Bytes32 hash;
      try {
        hash = Bytes32.fromHex(hex);
      } catch (IllegalArgumentException e) {
        send(ex, 400, error(ErrorCode.BAD_INPUT.name(), "'" + hex + "' is not a 32-byte hex hash"));
        return;
      }
      var proof = executor.proofs().get(hash);
      if (proof.isEmpty()) {
        send(ex, 404, error("UNKNOWN_PROOF", "this node holds no proof with hash " + hash));
        return;
      }
      byte[] b = proof.get();
      ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
    }
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
