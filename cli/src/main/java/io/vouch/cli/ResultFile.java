package io.vouch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.json.ReceiptJson;
import io.vouch.core.json.TensorJson;
import io.vouch.sdk.InferenceOutcome;

/**
 * The JSON a direct-path result is printed as ({@code vouch infer --json}) and read back from
 * ({@code vouch verify FILE}): everything a third party needs to check it.
 */
public final class ResultFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultFile() {}

  public static ObjectNode toJson(InferenceOutcome o) {
    ObjectNode n = JSON.createObjectNode();
    n.put("requestId", o.requestId().toHex());
    n.put("modelId", o.modelId().toHex());
    n.put("model", o.modelRef());
    n.put("level", o.level().name());
    n.set("input", TensorJson.toJson(o.input()));
    n.set("output", TensorJson.toJson(o.output()));
    n.put("argmax", o.output().argmax());
    n.set("receipt", ReceiptJson.toJson(o.receipt()));
    n.put("chainId", o.domain().chainId());
    n.put("hub", o.domain().verifyingContract().toHex());
    n.put("node", o.node().toHex());
    n.put("nodeEndpoint", o.nodeEndpoint());
    o.proof().ifPresent(p -> n.put("proof", java.util.Base64.getEncoder().encodeToString(p)));
    n.put(
        "verified",
        o.verification() instanceof InferenceOutcome.Verification.ClientVerified v
            ? v.what()
            : "no");
    return n;
  }

  public static InferenceOutcome fromJson(JsonNode n) {
    return new InferenceOutcome(
        Bytes32.fromHex(n.get("requestId").asText()),
        Bytes32.fromHex(n.get("modelId").asText()),
        n.path("model").asText(""),
        VerificationLevel.parse(n.get("level").asText()),
        TensorJson.fromJson(n.get("input")),
        TensorJson.fromJson(n.get("output")),
        ReceiptJson.fromJson(n.get("receipt")),
        Eip712Domain.of(n.get("chainId").asLong(), Address.fromHex(n.get("hub").asText())),
        n.path("nodeEndpoint").asText(""),
        new InferenceOutcome.Verification.Unverified(),
        n.hasNonNull("proof")
            ? java.util.Optional.of(java.util.Base64.getDecoder().decode(n.get("proof").asText()))
            : java.util.Optional.empty());
  }
}
