package io.vouch.sdk.direct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.json.ReceiptJson;
import io.vouch.core.json.TensorJson;
import io.vouch.core.tensor.Tensor;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClientException;
import io.vouch.sdk.payment.SignedVoucher;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The direct path to one node's HTTP API. Thread-safe; one HTTP/1.1 connection pool. */
public final class NodeClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final String baseUrl;

  public NodeClient(HttpClient http, String baseUrl) {
    this.http = http;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  public static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** Runs {@code model} on {@code input} at {@code level}; the result is not verified yet. */
  public InferenceOutcome infer(
      String model, Tensor input, VerificationLevel level, Bytes32 requestId, Duration timeout) {
    return infer(model, input, level, requestId, timeout, Optional.empty());
  }

  /**
   * Runs {@code model} on {@code input}, paying with {@code voucher} when given; a node that wants
   * (more) payment answers with {@link PaymentRequiredException}. The result is not verified yet.
   */
  public InferenceOutcome infer(
      String model,
      Tensor input,
      VerificationLevel level,
      Bytes32 requestId,
      Duration timeout,
      Optional<SignedVoucher> voucher) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    ObjectNode in = body.putObject("input");
    // Send the exact bytes: the node hashes what it decodes, and so do we.
    in.put("canonical", java.util.Base64.getEncoder().encodeToString(input.canonicalBytes()));
    body.put("level", level.name().toLowerCase(java.util.Locale.ROOT));
    body.put("requestId", requestId.toHex());
    voucher.ifPresent(v -> {
      ObjectNode o = body.putObject("voucher");
      o.put("payer", v.voucher().payer().toHex());
      o.put("node", v.voucher().node().toHex());
      o.put("cumulativeAmount", v.voucher().cumulativeAmount().toString());
      o.put("signature", v.signature().toHex());
    });
    JsonNode r = post("/v1/infer", body, timeout);
    Eip712Domain domain =
        Eip712Domain.of(r.get("chainId").asLong(), Address.fromHex(r.get("hub").asText()));
    return new InferenceOutcome(
        Bytes32.fromHex(r.get("requestId").asText()),
        Bytes32.fromHex(r.get("modelId").asText()),
        r.get("model").asText(),
        VerificationLevel.parse(r.get("level").asText()),
        input,
        TensorJson.fromJson(r.get("output")),
        ReceiptJson.fromJson(r.get("receipt")),
        domain,
        baseUrl,
        new InferenceOutcome.Verification.Unverified(),
        r.hasNonNull("proof")
            ? Optional.of(java.util.Base64.getDecoder().decode(r.get("proof").asText()))
            : Optional.empty());
  }

  public JsonNode models(Duration timeout) {
    return get("/v1/models", timeout);
  }

  public JsonNode health(Duration timeout) {
    return get("/health", timeout);
  }

  private JsonNode get(String path, Duration timeout) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout).GET().build());
  }

  private JsonNode post(String path, JsonNode body, Duration timeout) {
    try {
      return send(
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
              .build());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode send(HttpRequest request) {
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new VouchClientException(
          ErrorCode.NODE_UNAVAILABLE, "node " + baseUrl + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VouchClientException(ErrorCode.NODE_UNAVAILABLE, "interrupted", e);
    }
    JsonNode json;
    try {
      json = JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new VouchClientException(
          ErrorCode.NODE_UNAVAILABLE,
          "node " + baseUrl + " answered " + resp.statusCode() + " with a body that is not JSON");
    }
    if (resp.statusCode() != 200) {
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
        throw new PaymentRequiredException(
            "node "
                + baseUrl
                + " refused the request ("
                + resp.statusCode()
                + "): "
                + json.path("message").asText(),
            new BigInteger(json.get("price").asText()),
            new BigInteger(json.get("heldCumulative").asText()),
            Address.fromHex(json.get("node").asText()));
      }
      throw new VouchClientException(
          code,
          "node "
              + baseUrl
              + " refused the request ("
              + resp.statusCode()
              + "): "
              + json.path("message").asText(json.toString()));
    }
    return json;
  }
}
