package io.vouch.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.WireNumbers;
import io.vouch.core.crypto.Signature;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.json.ReceiptJson;
import io.vouch.core.json.TensorJson;
import io.vouch.core.json.WireJson;
import io.vouch.core.protocol.InferHeaders;
import io.vouch.core.protocol.NodeProtocol;
import io.vouch.core.protocol.PaymentTerms;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.infra.http.BodyLimit;
import io.vouch.infra.http.ErrorAnswer;
import io.vouch.infra.http.HttpLimits;
import io.vouch.infra.http.HttpRequest;
import io.vouch.infra.http.HttpResponse;
import io.vouch.infra.http.HttpServer;
import io.vouch.infra.service.Service;
import io.vouch.node.inference.InferenceExecutor;
import io.vouch.node.inference.InferenceRequest;
import io.vouch.node.inference.InferenceResult;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.metrics.NodeMetrics;
import io.vouch.node.settlement.DirectSettlement;
import io.vouch.node.settlement.InclusionProof;
import io.vouch.node.settlement.PaymentRequiredException;
import io.vouch.node.settlement.ReceiptBatcher;
import io.vouch.node.settlement.VoucherGate;
import io.vouch.node.settlement.VoucherOffer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API (described in {@code openapi.json}, served at {@code /openapi.json}), on
 * {@code infra}'s {@link HttpServer} (Jetty 12 core behind our own request and response records;
 * the limits below protect the node from large, slow and numerous clients, issue 9).
 *
 * <p>{@code POST /v1/infer} speaks two forms, chosen per request. JSON (the default): a JSON object
 * in, a JSON object out. Binary, for the hot path: {@code Content-Type:
 * application/vnd.vouch.tensor} with the input tensor's canonical encoding as the body and the
 * other fields in {@code Vouch-*} headers; {@code Accept: application/vnd.vouch.tensor} asks for
 * the output's canonical encoding as the body and the receipt in {@code Vouch-*} headers. The two
 * can be mixed; errors are always JSON. The binary form skips base64, JSON trees and number
 * formatting, and carries exactly the bytes that are hashed into the receipt.
 */
public final class NodeHttpApi extends Service {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHttpApi.class);
  private static final ObjectMapper JSON = WireJson.mapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The binary media type: one tensor's canonical encoding ({@code Tensor.canonicalBytes}). */
  public static final String TENSOR_MEDIA_TYPE = NodeProtocol.TENSOR_MEDIA_TYPE;

  static final String JSON_MEDIA_TYPE = NodeProtocol.JSON_MEDIA_TYPE;

  /** Connections open at once, from all clients (each costs a descriptor, not a thread). */
  static final int MAX_CONNECTIONS = 512;

  /** Connections open at once from one client address: no one address takes the node's slots. */
  static final int MAX_CONNECTIONS_PER_ADDRESS = 64;

  /** How long a request head may take in total (a new connection's first: from its opening). */
  static final Duration HEAD_DEADLINE = Duration.ofSeconds(10);

  /** How long a request body may take in total once its head is in. */
  static final Duration BODY_DEADLINE = Duration.ofSeconds(30);

  /** How long a kept-alive connection may sit idle between requests before the node closes it. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** The body limit of every route but {@code /v1/infer} (none of them reads a body). */
  static final long OTHER_BODY_BYTES = InferBodyLimit.FLOOR_BYTES;

  /**
   * The server's answers in the node's error format: the names of {@code core.error.ErrorCode}, so
   * that clients map them as they map the routes' own errors.
   */
  static final ErrorAnswer ERRORS =
      ErrorAnswer.json(status ->
          switch (status) {
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE.name();
            case 500 -> ErrorCode.INTERNAL.name();
            case 503 -> ErrorCode.NODE_UNAVAILABLE.name();
            default -> ErrorCode.BAD_INPUT.name();
          });

  private final String host;
  private final int requestedPort;
  private final long maxBodyBytes;
  private final InferenceExecutor executor;
  private final NodeMetrics metrics;
  private final InferBodyLimit inferLimit;
  private volatile DirectSettlement settlement;
  private HttpServer server;

  public NodeHttpApi(
      String host, int port, long maxBodyBytes, InferenceExecutor executor, NodeMetrics metrics) {
    this.host = host;
    this.requestedPort = port;
    this.maxBodyBytes = maxBodyBytes;
    this.executor = executor;
    this.metrics = metrics;
    this.inferLimit =
        new InferBodyLimit(executor.catalog(), executor.maxInputElements(), maxBodyBytes);
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
    server =
        HttpServer.builder(this::route)
            .bind(host, requestedPort)
            .limits(limits(maxBodyBytes))
            .bodyLimit(
                new BodyLimit() {
                  @Override
                  public long maxBodyBytes(String method, String path, String contentType) {
                    return bodyLimit(path, contentType);
                  }

                  @Override
                  public String reason(String method, String path) {
                    return path.equals("/v1/infer") ? inferLimit.reason() : "";
                  }
                })
            .errors(ERRORS)
            .name("vouch-http")
            .start();
    LOG.info("node API listening on http://{}:{}", host, port());
  }

  /**
   * The node's server limits: bodies up to {@code maxBodyBytes} (per route lower, see {@link
   * #bodyLimit}), a quarter of the heap for all bodies in flight, and the constants above.
   */
  static HttpLimits limits(long maxBodyBytes) {
    return HttpLimits.defaults()
        .withMaxBodyBytes(maxBodyBytes)
        .withBodyBudgetBytes(Math.max(maxBodyBytes, Runtime.getRuntime().maxMemory() / 4))
        .withConnections(MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS)
        .withDeadlines(HEAD_DEADLINE, BODY_DEADLINE)
        .withIdleTimeout(IDLE_TIMEOUT);
  }

  /**
   * {@code /v1/infer}: what the largest input of the models served takes in the request's form
   * ({@link InferBodyLimit}); every other route: a little.
   */
  long bodyLimit(String path, String contentType) {
    return path.equals("/v1/infer") ? inferLimit.bytes(contentType) : OTHER_BODY_BYTES;
  }

  @Override
  protected void doStop() {
    server.stop(Duration.ofSeconds(1));
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return "http://" + host + ":" + port();
  }

  /**
   * One request through the node's routes without its HTTP server, for code that puts another
   * server in front of the same routes (bench compares HTTP servers around the same work). The
   * caller hands over what the node's own server would: header names in lower case (repeated
   * headers joined with ", "), the path decoded, HEAD as GET; it adds Date, Content-Length and
   * Connection to the answer and turns an exception into a 500.
   */
  public Answer answer(Exchange request) throws IOException {
    HttpResponse r =
        route(
            new HttpRequest(
                request.method(),
                request.path(),
                request.query(),
                request.headers(),
                request.body(),
                request.remote()));
    return new Answer(r.status(), r.headers(), r.body());
  }

  /** A parsed request for {@link #answer}; {@code query} raw or null. */
  public record Exchange(
      String method,
      String path,
      String query,
      Map<String, String> headers,
      byte[] body,
      InetSocketAddress remote) {}

  /** What {@link #answer} returns: status, headers in order, body. */
  public record Answer(int status, Map<String, String> headers, byte[] body) {}

  private HttpResponse route(HttpRequest r) throws IOException {
    String path = r.path();
    return switch (path) {
      case NodeProtocol.INFER -> handle(r, "POST", this::infer);
      case NodeProtocol.MODELS -> handle(r, "GET", x -> json(200, models()));
      case NodeProtocol.SETTLE -> handle(r, "POST", x -> json(200, settle(x)));
      case NodeProtocol.HEALTH -> handle(r, "GET", x -> json(200, health()));
      case NodeProtocol.METRICS -> handle(r, "GET", x -> metricsText());
      case NodeProtocol.OPENAPI -> handle(r, "GET", x -> openApi());
      default -> {
        if (path.startsWith(NodeProtocol.RECEIPTS_PREFIX)) {
          yield handle(r, "GET", x -> json(200, receiptProof(x)));
        }
        if (path.startsWith(NodeProtocol.PROOFS_PREFIX)) {
          yield handle(r, "GET", this::proofBytes);
        }
        if (path.startsWith(NodeProtocol.ENCLAVE_MANIFESTS_PREFIX)) {
          yield handle(r, "GET", this::manifestBytes);
        }
        yield json(404, error("NOT_FOUND", "no such resource " + path + "; see /openapi.json"));
      }
    };
  }

  private interface Handler {
    HttpResponse handle(HttpRequest request) throws IOException;
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

  /** Checks the method, runs the handler and turns its exceptions into JSON errors. */
  private HttpResponse handle(HttpRequest r, String method, Handler handler) throws IOException {
    if (!r.method().equals(method)) {
      return json(405, error("METHOD_NOT_ALLOWED", r.method() + " is not allowed; use " + method))
          .with("Allow", method);
    }
    try {
      return handler.handle(r);
    } catch (PaymentRequiredException e) {
      metrics.countRequest(e.code().name());
      // With the EIP-712 domain: what a client without the SDK needs to sign (issue 10).
      PaymentTerms terms =
          new PaymentTerms(
              e.getMessage(),
              e.price(),
              e.heldCumulative(),
              e.heldVoucher()
                  .map(h -> new PaymentTerms.HeldVoucher(h.cumulativeAmount(), h.signature())),
              e.node(),
              Optional.of(executor.signer().domain()));
      return json(e.code().httpStatus(), terms.toJson());
    } catch (HttpError e) {
      metrics.countRequest(e.code);
      return json(e.status, error(e.code, e.getMessage()));
    } catch (VouchException e) {
      metrics.countRequest(e.code().name());
      return json(e.code().httpStatus(), error(e.code().name(), e.getMessage()));
    } catch (IllegalArgumentException e) {
      metrics.countRequest(ErrorCode.BAD_INPUT.name());
      return json(400, error(ErrorCode.BAD_INPUT.name(), e.getMessage()));
    } catch (RuntimeException e) {
      LOG.error("internal error on {}", r.path(), e);
      metrics.countRequest(ErrorCode.INTERNAL.name());
      return json(500, error(ErrorCode.INTERNAL.name(), "internal error: " + e));
    }
  }

  /** {@code POST /v1/infer} in either form (see the class comment). */
  private HttpResponse infer(HttpRequest r) {
    long t0 = System.nanoTime();
    boolean binaryIn = requestForm(r.header("content-type"));
    Served served = binaryIn ? inferBinary(r) : inferJson(r);
    HttpResponse response =
        NodeProtocol.accepts(r.header("accept"), TENSOR_MEDIA_TYPE)
            ? binaryAnswer(served)
            : jsonAnswer(served);
    metrics.countRequest("ok");
    metrics.observeLatencyMicros((System.nanoTime() - t0) / 1_000);
    return response;
  }

  /** True for the binary form, false for JSON; 415 for anything else. */
  private static boolean requestForm(String contentType) {
    String type = NodeProtocol.mediaType(contentType);
    if (type.isEmpty() || type.equals(JSON_MEDIA_TYPE)) {
      return false;
    }
    if (type.equals(TENSOR_MEDIA_TYPE)) {
      return true;
    }
    throw new HttpError(
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "Content-Type '"
            + contentType
            + "' is not accepted on /v1/infer; send "
            + JSON_MEDIA_TYPE
            + " (a JSON request) or "
            + TENSOR_MEDIA_TYPE
            + " (the input tensor's canonical encoding, fields in Vouch-* headers); see"
            + " /openapi.json");
  }

  /** What one inference produced, ready to be written in either form. */
  private record Served(
      InferenceResult result,
      VerificationLevel level,
      Bytes32 digest,
      VoucherGate.Admission admission) {}

  private Served inferJson(HttpRequest r) {
    JsonNode body = parseJson(r.body());
    if (body == null || !body.isObject()) {
      throw new VouchException(
          ErrorCode.BAD_INPUT, "body must be a JSON object; see /openapi.json");
    }
    String model = requiredText(body, "model");
    NamedTensors input = jsonInputs(body);
    VerificationLevel level =
        body.hasNonNull("level")
            ? VerificationLevel.parse(body.get("level").asText())
            : VerificationLevel.VANILLA;
    Bytes32 requestId =
        body.hasNonNull("requestId")
            ? Bytes32.fromHex(body.get("requestId").asText())
            : randomRequestId();
    return serve(model, input, level, requestId, voucher(body.get("voucher")));
  }

  private Served inferBinary(HttpRequest r) {
    InferHeaders.Request fields = InferHeaders.decodeRequest(r::header);
    NamedTensors input;
    try {
      input = NamedTensors.decode(r.body(), InferenceRequest.SOLE);
    } catch (IllegalArgumentException e) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "the body is not a canonical tensor encoding (dtype u8, rank u8, dims u32 LE, data LE)"
              + " nor a bundle of named tensors (0xF0, count, then name and encoding per tensor): "
              + e.getMessage());
    }
    return serve(
        fields.model(),
        input,
        fields.level().orElse(VerificationLevel.VANILLA),
        fields.requestId().orElseGet(NodeHttpApi::randomRequestId),
        fields
            .voucher()
            .map(v -> new VoucherOffer(v.payer(), v.node(), v.cumulativeAmount(), v.signature())));
  }

  /** {@code "input"} (one tensor) or {@code "inputs"} (tensors by the model's input names). */
  private static NamedTensors jsonInputs(JsonNode body) {
    JsonNode one = body.get("input");
    JsonNode named = body.get("inputs");
    if (one != null && named != null) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "send either \"input\" (one tensor) or \"inputs\" (tensors by name), not both");
    }
    if (named != null) {
      return TensorJson.namedFromJson(named);
    }
    if (one == null) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "field \"input\" (one tensor) or \"inputs\" ({\"<input name>\": tensor, ...}) is"
              + " required; see /openapi.json");
    }
    return NamedTensors.single(InferenceRequest.SOLE, TensorJson.fromJson(one));
  }

  private Served serve(
      String model,
      NamedTensors input,
      VerificationLevel level,
      Bytes32 requestId,
      Optional<VoucherOffer> voucher) {
    DirectSettlement paying = settlement;
    VoucherGate.Admission admission = new VoucherGate.Admission.Free();
    InferenceRequest request = new InferenceRequest(model, input, level, requestId);
    if (paying != null) {
      // A request that cannot run is refused before payment: it costs the client no voucher.
      admission = paying.admit(voucher, executor.check(request));
    }
    InferenceResult r = executor.execute(request);
    Bytes32 digest =
        paying != null
            ? paying.record(admission, r.receipt())
            : r.receipt().receipt().digest(executor.signer().domain());
    return new Served(r, level, digest, admission);
  }

  private HttpResponse jsonAnswer(Served s) {
    InferenceResult r = s.result();
    ObjectNode out = JSON.createObjectNode();
    out.put("requestId", r.receipt().receipt().requestId().toHex());
    out.put("modelId", r.model().modelId().toHex());
    out.put("model", r.model().ref());
    out.put("level", s.level().name());
    if (r.outputs().size() == 1) {
      out.set("output", TensorJson.toJson(r.output()));
    } else {
      out.set("outputs", TensorJson.toJson(r.outputs()));
    }
    out.set("receipt", ReceiptJson.toJson(r.receipt()));
    out.put("chainId", executor.signer().domain().chainId());
    out.put("hub", executor.signer().domain().verifyingContract().toHex());
    out.put("executionMicros", r.executionMicros());
    out.put("receiptDigest", s.digest().toHex());
    // ZKML: the proof the receipt's evidenceHash (keccak256 of these bytes) names, verified by the
    // client against the registry's zkModelId; output is then the int64 logits
    r.proof().ifPresent(p -> out.put("proof", java.util.Base64.getEncoder().encodeToString(p)));
    if (s.admission() instanceof VoucherGate.Admission.Paid paid) {
      ObjectNode p = out.putObject("payment");
      p.put("payer", paid.voucher().payer().toHex());
      p.put("cumulativeAmount", paid.voucher().cumulativeAmount().toString());
      p.put("price", paid.price().toString());
    }
    return json(200, out);
  }

  /**
   * The binary answer: the output's canonical encoding as the body, every receipt field in its own
   * header. A ZKML proof is not inlined: it is served at {@code /v1/proofs/{Vouch-Evidence-Hash}}.
   */
  private HttpResponse binaryAnswer(Served s) {
    InferenceResult r = s.result();
    HttpResponse out = HttpResponse.of(200, TENSOR_MEDIA_TYPE, r.outputs().canonicalBytes());
    Optional<InferHeaders.Payment> payment =
        s.admission() instanceof VoucherGate.Admission.Paid paid
            ? Optional.of(
                new InferHeaders.Payment(
                    paid.voucher().payer(), paid.voucher().cumulativeAmount(), paid.price()))
            : Optional.empty();
    InferHeaders.encode(
            new InferHeaders.Result(
                r.receipt(),
                r.model().ref(),
                executor.signer().domain(),
                java.util.OptionalLong.of(r.executionMicros()),
                Optional.of(s.digest()),
                payment))
        .forEach(out::with);
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
      BigInteger cumulative =
          WireNumbers.uint256(amount.asText(), "voucher field 'cumulativeAmount'");
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
  private JsonNode receiptProof(HttpRequest r) {
    String path = r.path();
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
    o.put("node", p.node().toHex());
    o.put("batchId", p.batchId());
    o.put("root", p.root().toHex());
    ArrayNode siblings = o.putArray("proof");
    p.proof().forEach(h -> siblings.add(h.toHex()));
    o.put("index", p.index());
    return o;
  }

  /** {@code POST /v1/settle} (loopback only): post the waiting receipts' root, redeem vouchers. */
  private JsonNode settle(HttpRequest request) {
    if (!request.remote().getAddress().isLoopbackAddress()) {
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

  private JsonNode models() {
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
      // What the model takes and gives (inputs, outputs with class labels, schemaHash).
      m.runner().signature().ifPresent(sig -> o.setAll(sig.toJson()));
    }
    ObjectNode out = JSON.createObjectNode();
    out.set("models", arr);
    return out;
  }

  private JsonNode health() {
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
  private HttpResponse proofBytes(HttpRequest r) {
    String hex = r.path().substring(NodeProtocol.PROOFS_PREFIX.length());
    Bytes32 hash;
    try {
      hash = Bytes32.fromHex(hex);
    } catch (IllegalArgumentException e) {
      return json(
          400, error(ErrorCode.BAD_INPUT.name(), "'" + hex + "' is not a 32-byte hex hash"));
    }
    var proof = executor.proofs().get(hash);
    if (proof.isEmpty()) {
      return json(404, error("UNKNOWN_PROOF", "this node holds no proof with hash " + hash));
    }
    return HttpResponse.of(200, NodeProtocol.PROOF_MEDIA_TYPE, proof.get());
  }

  /**
   * {@code GET /v1/enclave/manifests/{sha256}}: the canonical bytes of the enclave manifest whose
   * SHA-256 is {@code sha256} (its attestation's {@code user_data}), for KeyApproval committees.
   */
  private HttpResponse manifestBytes(HttpRequest r) {
    String hex = r.path().substring(NodeProtocol.ENCLAVE_MANIFESTS_PREFIX.length());
    Bytes32 hash;
    try {
      hash = Bytes32.fromHex(hex);
    } catch (IllegalArgumentException e) {
      return json(
          400, error(ErrorCode.BAD_INPUT.name(), "'" + hex + "' is not a 32-byte hex SHA-256"));
    }
    var manifest = executor.enclaveManifest(hash);
    if (manifest.isEmpty()) {
      return json(
          404, error("UNKNOWN_MANIFEST", "this node's enclave attested no manifest with " + hash));
    }
    return HttpResponse.of(200, NodeProtocol.MANIFEST_MEDIA_TYPE, manifest.get());
  }

  private HttpResponse metricsText() {
    Map<String, Number> gauges = new LinkedHashMap<>();
    gauges.put("vouch_models_loaded", executor.catalog().all().size());
    gauges.put("vouch_receipt_sequence", executor.signer().lastSequence());
    byte[] b = metrics.prometheusText(gauges).getBytes(StandardCharsets.UTF_8);
    return HttpResponse.of(200, "text/plain; version=0.0.4; charset=utf-8", b);
  }

  private static HttpResponse openApi() throws IOException {
    try (InputStream in = NodeHttpApi.class.getResourceAsStream("openapi.json")) {
      return HttpResponse.of(200, JSON_MEDIA_TYPE, in.readAllBytes());
    }
  }

  /** A JSON request body, or null when empty; malformed JSON is BAD_INPUT. */
  private static JsonNode parseJson(byte[] raw) {
    if (raw.length == 0) {
      return null;
    }
    try {
      return WireJson.readTree(raw);
    } catch (IllegalArgumentException e) {
      throw new VouchException(
          ErrorCode.BAD_INPUT, "body is not JSON we accept: " + e.getMessage());
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

  private static HttpResponse json(int status, JsonNode body) {
    try {
      return HttpResponse.of(status, JSON_MEDIA_TYPE, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a JSON response", e);
    }
  }
}
