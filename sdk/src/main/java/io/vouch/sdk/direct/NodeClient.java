package io.vouch.sdk.direct;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.json.ReceiptJson;
import io.vouch.core.json.TensorJson;
import io.vouch.core.json.WireJson;
import io.vouch.core.protocol.InferHeaders;
import io.vouch.core.protocol.NodeProtocol;
import io.vouch.core.protocol.PaymentTerms;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.infra.http.Http1Client;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClientException;
import io.vouch.sdk.payment.SignedVoucher;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The direct path to one node's HTTP API. Thread-safe; close it to close its connections.
 *
 * <p>Built from a URL alone, it talks over its own kept-alive HTTP/1.1 connections ({@link
 * Http1Client}: the calling thread does the exchange, no hand-offs); built with a JDK {@link
 * HttpClient}, it uses that client's pool. Either way {@link Encoding#BINARY} (the default) sends
 * VANILLA and TEE requests in the node's binary form: the input's canonical encoding as the body,
 * the output's canonical encoding back, the receipt in {@code Vouch-*} headers (see the node's
 * {@code /openapi.json}); ZKML requests, whose answer carries a proof, and {@link Encoding#JSON}
 * use JSON.
 */
public final class NodeClient implements AutoCloseable {
  /** How {@code /v1/infer} requests and answers travel. */
  public enum Encoding {
    /** Canonical tensor bytes in the body, the other fields in headers (not for ZKML). */
    BINARY,
    /** A JSON object each way, tensors as base64 of their canonical bytes. */
    JSON
  }

  static final String TENSOR_MEDIA_TYPE = NodeProtocol.TENSOR_MEDIA_TYPE;
  private static final ObjectMapper JSON = WireJson.mapper();
  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private final Wire wire;
  private final String baseUrl;
  private final Encoding encoding;

  /** A client of the node at {@code baseUrl} over its own HTTP/1.1 connections. */
  public NodeClient(String baseUrl) {
    this(baseUrl, DEFAULT_CONNECT_TIMEOUT);
  }

  /** As above, giving up on connecting after {@code connectTimeout}. */
  public NodeClient(String baseUrl, Duration connectTimeout) {
    this(
        new LeanWire(new Http1Client(URI.create(trim(baseUrl)), connectTimeout)),
        trim(baseUrl),
        Encoding.BINARY);
  }

  /** A client of the node at {@code baseUrl} through {@code http} (which the caller closes). */
  public NodeClient(HttpClient http, String baseUrl) {
    this(new JdkWire(http, trim(baseUrl)), trim(baseUrl), Encoding.BINARY);
  }

  private NodeClient(Wire wire, String baseUrl, Encoding encoding) {
    this.wire = wire;
    this.baseUrl = baseUrl;
    this.encoding = encoding;
  }

  private static String trim(String baseUrl) {
    return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** This client with another encoding; both share the connections (close either, once). */
  public NodeClient withEncoding(Encoding encoding) {
    return new NodeClient(wire, baseUrl, encoding);
  }

  public Encoding encoding() {
    return encoding;
  }

  public static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
        .build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public void close() {
    wire.close();
  }

  /** Runs {@code model} on {@code input} at {@code level}; the result is not verified yet. */
  public InferenceOutcome infer(
      String model, Tensor input, VerificationLevel level, Bytes32 requestId, Duration timeout) {
    return infer(model, NamedTensors.lone(input), level, requestId, timeout, Optional.empty());
  }

  /** Runs {@code model} on named {@code inputs}; the result is not verified yet. */
  public InferenceOutcome infer(
      String model,
      NamedTensors inputs,
      VerificationLevel level,
      Bytes32 requestId,
      Duration timeout) {
    return infer(model, inputs, level, requestId, timeout, Optional.empty());
  }

  /**
   * Runs {@code model} on {@code input}, paying with {@code voucher} when given; a node that wants
   * (more) payment answers with {@link PaymentRequiredException}. The result is not verified yet.
   */
  public InferenceOutcome infer(
      String model,
      NamedTensors input,
      VerificationLevel level,
      Bytes32 requestId,
      Duration timeout,
      Optional<SignedVoucher> voucher) {
    if (encoding == Encoding.BINARY && !level.carriesProof()) { // no field for a proof
      return inferBinary(model, input, level, requestId, timeout, voucher);
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    // Send the exact bytes: the node hashes what it decodes, and so do we.
    if (input.size() == 1 && input.names().getFirst().equals(NamedTensors.LONE)) {
      body.putObject("input")
          .put("canonical", Base64.getEncoder().encodeToString(input.only().canonicalBytes()));
    } else {
      ObjectNode named = body.putObject("inputs");
      input
          .asMap()
          .forEach((name, t) ->
              named
                  .putObject(name)
                  .put("canonical", Base64.getEncoder().encodeToString(t.canonicalBytes())));
    }
    body.put("level", level.name().toLowerCase(Locale.ROOT));
    body.put("requestId", requestId.toHex());
    voucher.ifPresent(v -> {
      ObjectNode o = body.putObject("voucher");
      o.put("payer", v.voucher().payer().toHex());
      o.put("node", v.voucher().node().toHex());
      o.put("cumulativeAmount", v.voucher().cumulativeAmount().toString());
      o.put("signature", v.signature().toHex());
    });
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    Http1Client.Reply reply =
        exchange(
            "POST",
            NodeProtocol.INFER,
            new String[] {"Content-Type: " + NodeProtocol.JSON_MEDIA_TYPE},
            bytes,
            timeout);
    return fromJson(json(reply), input);
  }

  /** The binary form: canonical tensor bytes each way, everything else in headers. */
  private InferenceOutcome inferBinary(
      String model,
      NamedTensors input,
      VerificationLevel level,
      Bytes32 requestId,
      Duration timeout,
      Optional<SignedVoucher> voucher) {
    List<String> headers = new ArrayList<>(10);
    headers.add("Content-Type: " + TENSOR_MEDIA_TYPE);
    headers.add("Accept: " + NodeProtocol.ACCEPT_TENSOR);
    InferHeaders.encode(
            new InferHeaders.Request(
                model,
                Optional.of(level),
                Optional.of(requestId),
                voucher.map(v ->
                    new InferHeaders.Voucher(
                        v.voucher().payer(),
                        Optional.of(v.voucher().node()),
                        v.voucher().cumulativeAmount(),
                        v.signature()))))
        .forEach((name, value) -> headers.add(name + ": " + value));
    Http1Client.Reply reply =
        exchange(
            "POST",
            NodeProtocol.INFER,
            headers.toArray(String[]::new),
            input.canonicalBytes(),
            timeout);
    if (reply.status() != 200 || !NodeProtocol.isTensor(reply.header("content-type"))) {
      return fromJson(json(reply), input); // an error, or a node that answers JSON only
    }
    try {
      InferHeaders.Result r = InferHeaders.decodeResult(reply::header);
      InferenceReceipt receipt = r.receipt().receipt();
      return new InferenceOutcome(
          receipt.requestId(),
          receipt.modelId(),
          r.model(),
          receipt.level(),
          input,
          NamedTensors.decode(reply.body(), NamedTensors.LONE),
          r.receipt(),
          r.domain(),
          baseUrl,
          new InferenceOutcome.Verification.Unverified(),
          Optional.empty());
    } catch (IllegalArgumentException e) {
      throw new VouchClientException(
          ErrorCode.NODE_UNAVAILABLE,
          "node " + baseUrl + " answered with a malformed binary result: " + e.getMessage(),
          e);
    }
  }

  private InferenceOutcome fromJson(JsonNode r, NamedTensors input) {
    JsonNode chainId = r.path("chainId");
    if (!chainId.isIntegralNumber() || !chainId.canConvertToLong() || chainId.longValue() <= 0) {
      throw new VouchClientException(
          ErrorCode.NODE_UNAVAILABLE,
          "node " + baseUrl + " answered a result whose chainId is not a chain id: " + chainId);
    }
    Eip712Domain domain =
        Eip712Domain.of(chainId.longValue(), Address.fromHex(r.get("hub").asText()));
    return new InferenceOutcome(
        Bytes32.fromHex(r.get("requestId").asText()),
        Bytes32.fromHex(r.get("modelId").asText()),
        r.get("model").asText(),
        VerificationLevel.parse(r.get("level").asText()),
        input,
        r.has("outputs")
            ? TensorJson.namedFromJson(r.get("outputs"))
            : NamedTensors.lone(TensorJson.fromJson(r.get("output"))),
        ReceiptJson.fromJson(r.get("receipt")),
        domain,
        baseUrl,
        new InferenceOutcome.Verification.Unverified(),
        r.hasNonNull("proof")
            ? Optional.of(Base64.getDecoder().decode(r.get("proof").asText()))
            : Optional.empty());
  }

  public JsonNode models(Duration timeout) {
    return get(NodeProtocol.MODELS, timeout);
  }

  public JsonNode health(Duration timeout) {
    return get(NodeProtocol.HEALTH, timeout);
  }

  /**
   * The proof whose keccak256 is {@code evidenceHash} (a ZKML receipt's evidence hash), as the node
   * serves it at {@code /v1/proofs/{hash}}; the caller checks the hash and the proof.
   *
   * @throws VouchClientException VERIFICATION_FAILED when the node answers without it (it committed
   *     to a proof it does not serve), NODE_UNAVAILABLE when it cannot be reached
   */
  public byte[] proof(Bytes32 evidenceHash, Duration timeout) {
    String path = NodeProtocol.proofPath(evidenceHash);
    Http1Client.Reply reply = exchange("GET", path, new String[0], null, timeout);
    if (reply.status() != 200) {
      throw new VouchClientException(
          ErrorCode.VERIFICATION_FAILED,
          "node "
              + baseUrl
              + " did not serve the proof "
              + evidenceHash
              + " its receipt committed to ("
              + path
              + " answered "
              + reply.status()
              + ")");
    }
    return reply.body();
  }

  private JsonNode get(String path, Duration timeout) {
    return json(exchange("GET", path, new String[0], null, timeout));
  }

  private Http1Client.Reply exchange(
      String method, String path, String[] headers, byte[] body, Duration timeout) {
    try {
      return wire.send(method, path, headers, body, timeout);
    } catch (HttpTimeoutException | SocketTimeoutException e) {
      throw new VouchClientException(
          ErrorCode.NODE_UNAVAILABLE,
          "node " + baseUrl + " did not answer " + method + " " + path + " within " + timeout,
          e);
    } catch (IOException e) {
      throw new VouchClientException(
          ErrorCode.NODE_UNAVAILABLE, "node " + baseUrl + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VouchClientException(ErrorCode.NODE_UNAVAILABLE, "interrupted", e);
    }
  }

  /** A JSON answer; a non-200 status becomes the node's error as an exception. */
  private JsonNode json(Http1Client.Reply resp) {
    JsonNode json;
    try {
      json = WireJson.readTree(resp.body());
    } catch (IllegalArgumentException e) {
      throw new VouchClientException(
          ErrorCode.NODE_UNAVAILABLE,
          "node "
              + baseUrl
              + " answered "
              + resp.status()
              + " with a body that is not JSON we accept: "
              + e.getMessage());
    }
    if (json == null || json.isMissingNode()) {
      throw new VouchClientException(
          ErrorCode.NODE_UNAVAILABLE,
          "node " + baseUrl + " answered " + resp.status() + " with an empty body");
    }
    if (resp.status() != 200) {
      ErrorCode code = ErrorCode.INTERNAL;
      if (json.hasNonNull("error")) {
        try {
          code = ErrorCode.valueOf(json.get("error").asText());
        } catch (IllegalArgumentException unknown) {
          code = ErrorCode.INTERNAL;
        }
      }
      if (PaymentTerms.isPaymentRequired(json)
          && json.hasNonNull("price")
          && json.hasNonNull("heldCumulative")
          && json.hasNonNull("node")) {
        throw paymentRequired(resp, json);
      }
      throw new VouchClientException(
          code,
          "node "
              + baseUrl
              + " refused the request ("
              + resp.status()
              + "): "
              + json.path("message").asText(json.toString()));
    }
    return json;
  }

  /** A 402's terms, every field checked before it is used (a node may send anything). */
  private PaymentRequiredException paymentRequired(Http1Client.Reply resp, JsonNode json) {
    PaymentTerms terms;
    try {
      terms = PaymentTerms.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new VouchClientException(
          ErrorCode.NODE_UNAVAILABLE,
          "node " + baseUrl + " answered 402 with malformed payment terms: " + e.getMessage());
    }
    return new PaymentRequiredException(
        "node " + baseUrl + " refused the request (" + resp.status() + "): " + terms.message(),
        terms.price(),
        terms.heldCumulative(),
        terms
            .heldVoucher()
            .map(
                h -> new PaymentRequiredException.HeldVoucher(h.cumulativeAmount(), h.signature())),
        terms.node());
  }

  /** How the bytes travel: this package's HTTP/1.1 client or a JDK HttpClient. */
  private interface Wire {
    Http1Client.Reply send(
        String method, String path, String[] headers, byte[] body, Duration timeout)
        throws IOException, InterruptedException;

    void close();
  }

  private record LeanWire(Http1Client http) implements Wire {
    @Override
    public Http1Client.Reply send(
        String method, String path, String[] headers, byte[] body, Duration timeout)
        throws IOException {
      return http.send(method, path, headers, body, timeout);
    }

    @Override
    public void close() {
      http.close();
    }
  }

  private record JdkWire(HttpClient http, String baseUrl) implements Wire {
    @Override
    public Http1Client.Reply send(
        String method, String path, String[] headers, byte[] body, Duration timeout)
        throws IOException, InterruptedException {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
      for (String line : headers) {
        int colon = line.indexOf(':');
        b.header(line.substring(0, colon), line.substring(colon + 1).strip());
      }
      b.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      HttpResponse<byte[]> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      Map<String, String> h = new HashMap<>();
      resp.headers()
          .map()
          .forEach(
              (name, values) -> h.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
      return new Http1Client.Reply(resp.statusCode(), h, resp.body());
    }

    @Override
    public void close() {
      // the caller's HttpClient: the caller closes it
    }
  }
}
