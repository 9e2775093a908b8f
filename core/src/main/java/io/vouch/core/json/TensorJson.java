package io.vouch.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.core.tensor.TensorFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tensors in JSON, for the HTTP API and the CLI. Two forms are accepted:
 *
 * <pre>
 *   {"dtype": "float32", "shape": [1, 4], "data": [0.5, 1, 2, 3]}
 *   {"canonical": "&lt;base64 of the canonical encoding&gt;"}
 * </pre>
 *
 * Output uses both (readable values and the exact bytes that were hashed). Floats in {@code data}
 * are read as JSON numbers; NaN and infinities cannot be written in JSON, and {@code "NaN"} strings
 * are refused with a message saying so.
 */
public final class TensorJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private TensorJson() {}

  public static ObjectNode toJson(Tensor t) {
    ObjectNode o = F.objectNode();
    o.put("dtype", t.dtype().jsonName());
    ArrayNode shape = o.putArray("shape");
    for (int d : t.shape()) {
      shape.add(d);
    }
    ArrayNode data = o.putArray("data");
    long n = t.elementCount();
    for (int i = 0; i < n; i++) {
      double v = t.getAsDouble(i);
      switch (t.dtype()) {
        case FLOAT32 -> data.add((float) v);
        case FLOAT64 -> data.add(v);
        default -> data.add((long) v);
      }
    }
    o.put("canonical", Base64.getEncoder().encodeToString(t.canonicalBytes()));
    o.put("hash", t.hash().toHex());
    return o;
  }

  /** Several tensors by name: {@code {"name": tensor, ...}}, in the encoding's order. */
  public static ObjectNode toJson(NamedTensors tensors) {
    ObjectNode o = F.objectNode();
    tensors.asMap().forEach((name, t) -> o.set(name, toJson(t)));
    return o;
  }

  /**
   * Reads {@code {"name": tensor, ...}} (each tensor in either form), as a model with several
   * inputs takes them.
   */
  public static NamedTensors namedFromJson(JsonNode node) {
    if (node == null || !node.isObject() || node.isEmpty()) {
      throw new TensorFormatException(
          "named tensors must be a JSON object {\"<input name>\": <tensor>, ...} with at least"
              + " one entry");
    }
    Map<String, Tensor> byName = new LinkedHashMap<>();
    for (var it = node.fields(); it.hasNext(); ) {
      var e = it.next();
      try {
        byName.put(e.getKey(), fromJson(e.getValue()));
      } catch (TensorFormatException ex) {
        throw new TensorFormatException("tensor '" + e.getKey() + "': " + ex.getMessage());
      }
    }
    return NamedTensors.of(byName);
  }

  /** Reads either form; when both are present, the canonical bytes win and must match the data. */
  public static Tensor fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new TensorFormatException(
          "a tensor must be a JSON object {\"dtype\":…,\"shape\":[…],\"data\":[…]} or"
              + " {\"canonical\":\"<base64>\"}");
    }
    JsonNode canonical = node.get("canonical");
    if (canonical != null && !canonical.isNull()) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(canonical.asText());
      } catch (IllegalArgumentException e) {
        throw new TensorFormatException(
            "tensor 'canonical' is not valid base64: " + e.getMessage());
      }
      Tensor t = Tensor.fromCanonicalBytes(bytes);
      if (node.has("data") && !fromValues(node).equals(t)) {
        throw new TensorFormatException(
            "tensor 'canonical' bytes and 'data' disagree; send one of them");
      }
      return t;
    }
    return fromValues(node);
  }

  private static Tensor fromValues(JsonNode node) {
    JsonNode dtypeNode = node.get("dtype");
    JsonNode shapeNode = node.get("shape");
    JsonNode dataNode = node.get("data");
    if (dtypeNode == null || shapeNode == null || dataNode == null) {
      throw new TensorFormatException(
          "a tensor needs \"dtype\", \"shape\" and \"data\" (or \"canonical\")");
    }
    DType dtype = DType.parse(dtypeNode.asText());
    if (!shapeNode.isArray()) {
      throw new TensorFormatException("tensor \"shape\" must be an array of integers");
    }
    int[] shape = new int[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.canConvertToInt() || !d.isIntegralNumber() || d.intValue() < 0) {
        throw new TensorFormatException(
            "tensor \"shape\"[" + i + "] must be a non-negative integer");
      }
      shape[i] = d.intValue();
    }
    if (!dataNode.isArray()) {
      throw new TensorFormatException("tensor \"data\" must be a flat array of numbers");
    }
    long n = Tensor.elementCount(shape);
    if (dataNode.size() != n) {
      throw new TensorFormatException(
          "tensor shape "
              + java.util.Arrays.toString(shape)
              + " holds "
              + n
              + " elements but \"data\" has "
              + dataNode.size());
    }
    ByteBuffer b = ByteBuffer.allocate((int) n * dtype.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      JsonNode v = dataNode.get(i);
      if (!v.isNumber()) {
        throw new TensorFormatException(
            "tensor \"data\"["
                + i
                + "] is "
                + v
                + ", not a number (JSON has no NaN or infinity; send finite numbers)");
      }
      switch (dtype) {
        case FLOAT32 -> b.putFloat(v.floatValue());
        case FLOAT64 -> b.putDouble(v.doubleValue());
        case INT8 -> b.put((byte) checkedIntegral(v, i, Byte.MIN_VALUE, Byte.MAX_VALUE));
        case UINT8 -> b.put((byte) checkedIntegral(v, i, 0, 255));
        case INT32 -> b.putInt((int) checkedIntegral(v, i, Integer.MIN_VALUE, Integer.MAX_VALUE));
        case INT64 -> b.putLong(checkedIntegral(v, i, Long.MIN_VALUE, Long.MAX_VALUE));
      }
    }
    return Tensor.of(dtype, shape, b.array());
  }

  private static long checkedIntegral(JsonNode v, int i, long min, long max) {
    if (!v.isIntegralNumber()
        || !v.canConvertToLong()
        || v.longValue() < min
        || v.longValue() > max) {
      throw new TensorFormatException(
          "tensor \"data\"[" + i + "] = " + v + " is not an integer in [" + min + ", " + max + "]");
    }
    return v.longValue();
  }
}
