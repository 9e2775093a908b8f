package io.vouch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.chain.VouchDeployment;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.WireNumbers;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.json.ReceiptJson;
import io.vouch.core.json.TensorJson;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.onchain.OnChainRequest;
import io.vouch.sdk.onchain.OnChainResult;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one JSON form of a result: printed by {@code vouch infer --json} (direct and {@code
 * --on-chain}) and read back by {@code vouch verify FILE}, with everything a third party needs to
 * check it.
 *
 * <p>Both paths carry {@code path} ({@code "direct"} or {@code "on-chain"}), {@code requestId},
 * {@code modelId}, {@code model}, {@code level}, {@code input} and {@code output} (or, for a model
 * with several, {@code inputs} and {@code outputs} by name), {@code argmax} (one output), {@code
 * node}, {@code chainId}, {@code hub} and {@code verified}. A direct result adds the node's signed
 * {@code receipt}, {@code nodeEndpoint} and, at ZKML, the {@code proof}; its {@code requestId} is
 * the client's random 32-byte id. An on-chain result's {@code requestId} is the hub's request
 * number (decimal), and it adds {@code finality}, the transactions ({@code requestTx}, {@code
 * submitTx}, {@code finalizeTx}), {@code evidenceHash}, the settlement and {@code
 * onChainVerification} (how the chain verified it: the court's cases, see {@code vouch request
 * show}). Files without {@code path} (written before it existed) are direct results.
 */
public final class ResultFile {
  public static final String DIRECT = "direct";
  public static final String ON_CHAIN = "on-chain";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultFile() {}

  /** What a result file holds. */
  public sealed interface Result {}

  /** A direct-path result: the node's signed receipt over the tensors. */
  public record Direct(InferenceOutcome outcome) implements Result {}

  /** An on-chain result: checked against the hub's record of request {@code requestId}. */
  public record OnChain(
      BigInteger requestId,
      Bytes32 modelId,
      String model,
      VerificationLevel level,
      NamedTensors inputs,
      NamedTensors outputs,
      Address node,
      long chainId,
      Address hub)
      implements Result {}

  public static ObjectNode toJson(InferenceOutcome o) {
    ObjectNode n = JSON.createObjectNode();
    n.put("path", DIRECT);
    n.put("requestId", o.requestId().toHex());
    n.put("modelId", o.modelId().toHex());
    n.put("model", o.modelRef());
    n.put("level", o.level().name());
    putTensors(n, o.inputs(), o.outputs());
    n.set("receipt", ReceiptJson.toJson(o.receipt()));
    n.put("chainId", o.domain().chainId());
    n.put("hub", o.domain().verifyingContract().toHex());
    n.put("node", o.node().toHex());
    n.put("nodeEndpoint", o.nodeEndpoint());
    o.proof().ifPresent(p -> n.put("proof", Base64.getEncoder().encodeToString(p)));
    n.put(
        "verified",
        o.verification() instanceof InferenceOutcome.Verification.ClientVerified v
            ? v.what()
            : "no");
    return n;
  }

  public static ObjectNode toJson(OnChainRequest h, OnChainResult r, VouchDeployment d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("path", ON_CHAIN);
    n.put("requestId", r.requestId().toString());
    n.put("modelId", r.modelId().toHex());
    n.put("model", h.modelRef());
    n.put("level", h.level().name());
    putTensors(n, h.inputs(), r.outputs());
    n.put("chainId", d.chainId());
    n.put("hub", d.inferenceHub().toHex());
    n.put("node", r.node().toHex());
    n.put("finality", r.finality().name());
    n.put("requestTx", r.requestTransaction());
    n.put("submitTx", r.submitTransaction());
    r.finalizeTransaction().ifPresent(t -> n.put("finalizeTx", t));
    if (!r.evidenceHash().isZero()) {
      n.put("evidenceHash", r.evidenceHash().toHex());
    }
    n.put(
        "verified",
        r.proofVerification()
            .orElse("output hash checked against the hub's record (" + r.finality() + ")"));
    r.verification().ifPresent(v -> n.set("onChainVerification", VerificationText.toJson(v)));
    r.settlement()
        .ifPresent(s -> {
          n.put("nodePaidWei", s.nodePaidWei().toString());
          n.put("modelFeeWei", s.modelFeeWei().toString());
          n.put("refundWei", s.refundWei().toString());
        });
    return n;
  }

  /**
   * Reads a result file's JSON.
   *
   * @throws VouchException BAD_INPUT naming the field that is missing or malformed
   */
  public static Result fromJson(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw bad("it is not a JSON object");
    }
    String path = n.path("path").asText(DIRECT);
    return switch (path) {
      case DIRECT -> new Direct(direct(n));
      case ON_CHAIN ->
          new OnChain(
              field(n, "requestId", v -> WireNumbers.uint256(v, "requestId")),
              field(n, "modelId", Bytes32::fromHex),
              n.path("model").asText(""),
              field(n, "level", VerificationLevel::parse),
              tensors(n, "input"),
              tensors(n, "output"),
              field(n, "node", Address::fromHex),
              field(n, "chainId", Long::parseLong),
              field(n, "hub", Address::fromHex));
      default ->
          throw bad(
              "field 'path' is '" + path + "'; expected '" + DIRECT + "' or '" + ON_CHAIN + "'");
    };
  }

  private static InferenceOutcome direct(JsonNode n) {
    JsonNode receipt = required(n, "receipt");
    return new InferenceOutcome(
        field(n, "requestId", Bytes32::fromHex),
        field(n, "modelId", Bytes32::fromHex),
        n.path("model").asText(""),
        field(n, "level", VerificationLevel::parse),
        tensors(n, "input"),
        tensors(n, "output"),
        parse("receipt", () -> ReceiptJson.fromJson(receipt)),
        Eip712Domain.of(field(n, "chainId", Long::parseLong), field(n, "hub", Address::fromHex)),
        n.path("nodeEndpoint").asText(""),
        new InferenceOutcome.Verification.Unverified(),
        n.hasNonNull("proof")
            ? Optional.of(field(n, "proof", Base64.getDecoder()::decode))
            : Optional.empty());
  }

  private static JsonNode required(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      throw bad("field '" + name + "' is missing");
    }
    return v;
  }

  private static <T> T field(JsonNode n, String name, Function<String, T> parse) {
    JsonNode v = required(n, name);
    if (!v.isValueNode()) {
      throw bad("field '" + name + "' must be a string or number");
    }
    return parse(name, () -> parse.apply(v.asText()));
  }

  /**
   * One tensor as {@code input}/{@code output} (with {@code argmax}), several by name as {@code
   * inputs}/{@code outputs}.
   */
  private static void putTensors(ObjectNode n, NamedTensors inputs, NamedTensors outputs) {
    if (inputs.size() == 1) {
      n.set("input", TensorJson.toJson(inputs.only()));
    } else {
      n.set("inputs", TensorJson.toJson(inputs));
    }
    if (outputs.size() == 1) {
      n.set("output", TensorJson.toJson(outputs.only()));
      n.put("argmax", outputs.only().argmax());
    } else {
      n.set("outputs", TensorJson.toJson(outputs));
    }
  }

  /** {@code input} (one tensor) or {@code inputs} (by name); likewise for output. */
  private static NamedTensors tensors(JsonNode n, String singular) {
    String plural = singular + "s";
    if (n.hasNonNull(plural)) {
      JsonNode v = n.get(plural);
      return parse(plural, () -> TensorJson.namedFromJson(v));
    }
    JsonNode v = required(n, singular);
    return parse(singular, () -> NamedTensors.lone(TensorJson.fromJson(v)));
  }

  private static <T> T parse(String name, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (NullPointerException e) {
      throw bad("field '" + name + "' lacks a part it needs");
    } catch (RuntimeException e) {
      throw bad("field '" + name + "' is malformed: " + Failure.clean(e.getMessage()));
    }
  }

  private static VouchException bad(String problem) {
    return new VouchException(
        ErrorCode.BAD_INPUT, "not a result file (as printed by vouch infer --json): " + problem);
  }
}
