package io.vouch.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Address;
import io.vouch.core.WireNumbers;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.PaymentVoucher;
import io.vouch.core.error.ErrorCode;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Function;

/**
 * The body of a node's 402 (PAYMENT_REQUIRED) answer: what a client needs to sign an acceptable
 * voucher. The node's claims (price, held amount) are claims: the SDK pays at most the registered
 * price and believes a held amount only with the payer's own signature on it ({@link
 * #heldVoucher}).
 *
 * <pre>
 * {"error": "PAYMENT_REQUIRED", "message", "price", "heldCumulative",
 *  "heldVoucher": {"cumulativeAmount", "signature"} (optional), "node",
 *  "chainId", "hub", "voucherType", "domain": {"name", "version", "chainId", "verifyingContract"}}
 * </pre>
 *
 * Amounts are decimal strings of wei; the domain and voucher type let a client without the SDK sign
 * (issue 10); a client that knows the deployment does not need them, so decoding takes them when
 * present.
 *
 * @param domain the EIP-712 domain to sign the voucher in; empty when the node did not say
 */
public record PaymentTerms(
    String message,
    BigInteger price,
    BigInteger heldCumulative,
    Optional<HeldVoucher> heldVoucher,
    Address node,
    Optional<Eip712Domain> domain) {

  /** A voucher the node holds: the payer signed {@code cumulativeAmount} for this node. */
  public record HeldVoucher(BigInteger cumulativeAmount, Signature signature) {}

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("error", ErrorCode.PAYMENT_REQUIRED.name());
    o.put("message", message);
    o.put("price", price.toString());
    o.put("heldCumulative", heldCumulative.toString());
    heldVoucher.ifPresent(h ->
        o.putObject("heldVoucher")
            .put("cumulativeAmount", h.cumulativeAmount().toString())
            .put("signature", h.signature().toHex()));
    o.put("node", node.toHex());
    domain.ifPresent(d -> {
      o.put("chainId", d.chainId());
      o.put("hub", d.verifyingContract().toHex());
      o.put("voucherType", PaymentVoucher.TYPE);
      o.putObject("domain")
          .put("name", d.name())
          .put("version", d.version())
          .put("chainId", d.chainId())
          .put("verifyingContract", d.verifyingContract().toHex());
    });
    return o;
  }

  /** Whether an error body is a 402's (its {@code error} is PAYMENT_REQUIRED). */
  public static boolean isPaymentRequired(JsonNode body) {
    return body != null && body.path("error").asText("").equals(ErrorCode.PAYMENT_REQUIRED.name());
  }

  /**
   * The terms of a 402 body, every field checked before it is used (a node may send anything).
   *
   * @throws ProtocolException naming the field that is missing or malformed
   */
  public static PaymentTerms fromJson(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new ProtocolException("a 402 body must be a JSON object");
    }
    if (!isPaymentRequired(body)) {
      throw new ProtocolException(
          "a 402 body's 'error' must be PAYMENT_REQUIRED, not '"
              + InferHeaders.printable(body.path("error").asText(""))
              + "'");
    }
    Optional<HeldVoucher> held = Optional.empty();
    JsonNode h = body.get("heldVoucher");
    if (h != null && !h.isNull()) {
      if (!h.isObject()) {
        throw new ProtocolException("field 'heldVoucher' must be an object");
      }
      held =
          Optional.of(
              new HeldVoucher(
                  uint256(h, "cumulativeAmount", "heldVoucher.cumulativeAmount"),
                  parse(
                      "heldVoucher.signature",
                      text(h, "signature", "heldVoucher.signature"),
                      Signature::fromHex)));
    }
    Optional<Eip712Domain> domain = Optional.empty();
    if (body.hasNonNull("chainId") && body.hasNonNull("hub")) {
      long chainId = uint63(text(body, "chainId", "chainId"), "chainId");
      domain =
          Optional.of(
              Eip712Domain.of(chainId, parse("hub", text(body, "hub", "hub"), Address::fromHex)));
    }
    return new PaymentTerms(
        body.path("message").asText(""),
        uint256(body, "price", "price"),
        uint256(body, "heldCumulative", "heldCumulative"),
        held,
        parse("node", text(body, "node", "node"), Address::fromHex),
        domain);
  }

  private static String text(JsonNode o, String field, String path) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw new ProtocolException("field '" + path + "' is missing");
    }
    if (!v.isValueNode()) {
      throw new ProtocolException("field '" + path + "' must be a string or a number");
    }
    String s = v.asText();
    if (s.length() > InferHeaders.MAX_VALUE_CHARS) {
      throw new ProtocolException(
          "field '"
              + path
              + "' is "
              + s.length()
              + " characters long; at most "
              + InferHeaders.MAX_VALUE_CHARS
              + " are accepted");
    }
    return s;
  }

  private static BigInteger uint256(JsonNode o, String field, String path) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw new ProtocolException("field '" + path + "' is missing");
    }
    try {
      return WireNumbers.uint256(v.asText(), "field '" + path + "'");
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(e.getMessage(), e);
    }
  }

  private static long uint63(String text, String path) {
    try {
      return WireNumbers.uint63(text, "field '" + path + "'");
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(e.getMessage(), e);
    }
  }

  private static <T> T parse(String path, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          "field '"
              + path
              + "' is malformed ('"
              + InferHeaders.printable(value)
              + "'): "
              + e.getMessage(),
          e);
    }
  }
}
