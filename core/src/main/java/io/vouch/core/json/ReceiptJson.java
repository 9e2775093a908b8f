package io.vouch.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;

/** Signed receipts in JSON: every field of the EIP-712 struct plus {@code signature}. */
public final class ReceiptJson {
  private ReceiptJson() {}

  public static ObjectNode toJson(SignedReceipt signed) {
    InferenceReceipt r = signed.receipt();
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("requestId", r.requestId().toHex());
    o.put("modelId", r.modelId().toHex());
    o.put("inputHash", r.inputHash().toHex());
    o.put("outputHash", r.outputHash().toHex());
    o.put("level", r.level().name());
    o.put("evidenceHash", r.evidenceHash().toHex());
    o.put("node", r.node().toHex());
    o.put("timestamp", r.timestamp());
    o.put("sequence", r.sequence());
    o.put("signature", signed.signature().toHex());
    return o;
  }

  public static SignedReceipt fromJson(JsonNode o) {
    try {
      InferenceReceipt r =
          new InferenceReceipt(
              Bytes32.fromHex(text(o, "requestId")),
              Bytes32.fromHex(text(o, "modelId")),
              Bytes32.fromHex(text(o, "inputHash")),
              Bytes32.fromHex(text(o, "outputHash")),
              VerificationLevel.parse(text(o, "level")),
              Bytes32.fromHex(text(o, "evidenceHash")),
              Address.fromHex(text(o, "node")),
              number(o, "timestamp"),
              number(o, "sequence"));
      return new SignedReceipt(r, Signature.fromHex(text(o, "signature")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed receipt JSON: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("receipt field '" + field + "' is missing or not text");
    }
    return v.asText();
  }

  private static long number(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.canConvertToLong()) {
      throw new IllegalArgumentException(
          "receipt field '" + field + "' is missing or not a number");
    }
    return v.longValue();
  }
}
