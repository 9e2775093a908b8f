package io.vouch.sdk.direct;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.WireNumbers;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.json.ReceiptJson;
import io.vouch.core.json.TensorJson;
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

  static final String TENSOR_MEDIA_TYPE = "application/vnd.vouch.tensor";
  private static final ObjectMapper JSON = new ObjectMapper();
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
    if (encoding == Encoding.BINARY && level != VerificationLevel.ZKML) {
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
            "POST", "/v1/infer", new String[] {"Content-Type: application/json"}, bytes, timeout);
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
    List<String> headers = new ArrayList<>(8);
    headers.add("Content-Type: " + TENSOR_MEDIA_TYPE);
    headers.add("Accept: " + TENSOR_MEDIA_TYPE + ", application/json;q=0.5");
    headers.add("Vouch-Model: " + model);
    headers.add("Vouch-Level: " + level.name().toLowerCase(Locale.ROOT));
    headers.add("Vouch-Request-Id: " + requestId.toHex());
    voucher.ifPresent(v -> {
      headers.add("Vouch-Voucher-Payer: " + v.voucher().payer().toHex());
      headers.add("Vouch-Voucher-Node: " + v.voucher().node().toHex());
      headers.add("Vouch-Voucher-Cumulative-Amount: " + v.voucher().cumulativeAmount());
      headers.add("Vouch-Voucher-Signature: " + v.signature().toHex());
    });
    Http1Client.Reply reply =
        exchange(
            "POST", "/v1/infer", headers.toArray(String[]::new), input.canonicalBytes(), timeout);
    if (reply.status() != 200 || !isTensor(reply.header("content-type"))) {
      return fromJson(json(reply), input); // an error, or a node that answers JSON only
    }
    try {
      InferenceReceipt receipt =
          new InferenceReceipt(
              Bytes32.fromHex(required(reply, "vouch-request-id")),
              Bytes32.fromHex(required(reply, "vouch-model-id")),
              Bytes32.fromHex(required(reply, "vouch-input-hash")),
              Bytes32.fromHex(required(reply, "vouch-output-hash")),
              VerificationLevel.parse(required(reply, "vouch-level")),
              Bytes32.fromHex(required(reply, "vouch-evidence-hash")),
              Address.fromHex(required(reply, "vouch-node")),
              Long.parseLong(required(reply, "vouch-timestamp")),
              Long.parseLong(required(reply, "vouch-sequence")));
      return new InferenceOutcome(
          receipt.requestId(),
          receipt.modelId(),
          required(reply, "vouch-model"),
          receipt.level(),
          input,
          NamedTensors.decode(reply.body(), NamedTensors.LONE),
          new SignedReceipt(receipt, Signature.fromHex(required(reply, "vouch-signature"))),
          Eip712Domain.of(
              Long.parseLong(required(reply, "vouch-chain-id")),
              Address.fromHex(required(reply, "vouch-hub"))),
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

  private static boolean isTensor(String contentType) {
    return contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith(TENSOR_MEDIA_TYPE);
  }

  private static String required(Http1Client.Reply reply, String header) {
    String v = reply.header(header);
    if (v == null) {
      throw new IllegalArgumentException("header " + header + " is missing");
    }
    return v;
  }

  private InferenceOutcome fromJson(JsonNode r, NamedTensors input) {
    Eip712Domain domain =
        Eip712Domain.of(r.get("chainId").asLong(), Address.fromHex(r.get("hub").asText()));
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
    return get("/v1/models", timeout);
  }

  public JsonNode health(Duration timeout) {
    return get("/health", timeout);
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
      json = JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new VouchClientException(
          ErrorCode.NODE_UNAVAILABLE,
          "node " + baseUrl + " answered " + resp.status() + " with a body that is not JSON");
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
      if (code == ErrorCode.PAYMENT_REQUIRED
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

  /** A 402's terms, every number checked before it is parsed (a node may send anything). */
  private PaymentRequiredException paymentRequired(Http1Client.Reply resp, JsonNode json) {
    String message =
        "node "
            + baseUrl
            + " refused the request ("
            + resp.status()
            + "): "
            + json.path("message").asText();
    try {
      Optional<PaymentRequiredException.HeldVoucher> held = Optional.empty();
      JsonNode h = json.get("heldVoucher");
      if (h != null && h.isObject()) {
        held =
            Optional.of(
                new PaymentRequiredException.HeldVoucher(
                    WireNumbers.uint256(
                        h.path("cumulativeAmount").asText(), "heldVoucher.cumulativeAmount"),
                    Signature.fromHex(h.path("signature").asText())));
      }
      return new PaymentRequiredException(
          message,
          WireNumbers.uint256(json.get("price").asText(), "price"),
          WireNumbers.uint256(json.get("heldCumulative").asText(), "heldCumulative"),
          held,
          Address.fromHex(json.get("node").asText()));
    } catch (IllegalArgumentException e) {
      throw new VouchClientException(
          ErrorCode.NODE_UNAVAILABLE,
          "node " + baseUrl + " answered 402 with malformed payment terms: " + e.getMessage());
    }
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
