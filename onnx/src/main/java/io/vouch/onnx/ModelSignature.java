package io.vouch.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a model takes and gives, as a user needs it: the {@link ModelSchema} (names, dtypes, shapes)
 * and a classifier's class names ({@link OnnxModelFile#classLabels()}), read from the ONNX file
 * without a runtime. The labels name the classes along the last axis of every output whose fixed
 * last dimension equals their count ({@link #labelsOf}).
 *
 * <p>JSON form (the node's {@code GET /v1/models}, {@code vouch model show --json}, the CLI's
 * cache): {@code {"inputs":[{"name","dtype","shape"}], "outputs":[{"name","dtype","shape"[,
 * "labels":[…]]}], "schemaHash"}}, a dimension of -1 for any size.
 */
public record ModelSignature(ModelSchema schema, List<String> classLabels) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelSignature {
    classLabels = List.copyOf(classLabels);
  }

  public static ModelSignature of(OnnxModelFile model) {
    return new ModelSignature(model.schema(), model.classLabels().orElse(List.of()));
  }

  /** The class names of output {@code name}, when it is one the labels apply to. */
  public Optional<List<String>> labelsOf(String output) {
    if (classLabels.isEmpty()) {
      return Optional.empty();
    }
    return schema
        .output(output)
        .filter(o -> o.rank() > 0 && o.shape()[o.rank() - 1] == classLabels.size())
        .map(o -> classLabels);
  }

  /**
   * The predicted class of each row of {@code value} (the largest element along the last axis; the
   * first on ties), by name: one per row of a {@code [N, K]} output, one for a {@code [K]} output.
   * Empty when the output has no labels or the tensor's last axis does not match them.
   */
  public List<String> predictedLabels(String output, Tensor value) {
    Optional<List<String>> labels = labelsOf(output);
    int[] shape = value.shape();
    if (labels.isEmpty()
        || shape.length == 0
        || shape[shape.length - 1] != labels.get().size()
        || value.elementCount() == 0) {
      return List.of();
    }
    int k = shape[shape.length - 1];
    long rows = value.elementCount() / k;
    List<String> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      int base = r * k;
      int best = 0;
      for (int i = 1; i < k; i++) {
        if (value.getAsDouble(base + i) > value.getAsDouble(base + best)) {
          best = i;
        }
      }
      out.add(labels.get().get(best));
    }
    return out;
  }

  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode inputs = o.putArray("inputs");
    schema.inputs().forEach(s -> inputs.add(spec(s)));
    ArrayNode outputs = o.putArray("outputs");
    for (TensorSpec s : schema.outputs()) {
      ObjectNode n = spec(s);
      labelsOf(s.name())
          .ifPresent(l -> {
            ArrayNode a = n.putArray("labels");
            l.forEach(a::add);
          });
      outputs.add(n);
    }
    o.put("schemaHash", schema.schemaHash().toHex());
    return o;
  }

  private static ObjectNode spec(TensorSpec s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", s.name());
    n.put("dtype", s.dtype().jsonName());
    ArrayNode shape = n.putArray("shape");
    for (int d : s.shape()) {
      shape.add(d);
    }
    return n;
  }

  /**
   * Reads the JSON form back.
   *
   * @throws IllegalArgumentException naming what is missing or malformed
   */
  public static ModelSignature fromJson(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("a model signature must be a JSON object");
    }
    List<String> labels = new ArrayList<>();
    List<TensorSpec> outputs = specs(o, "outputs");
    for (JsonNode n : o.path("outputs")) {
      if (labels.isEmpty() && n.has("labels")) {
        n.get("labels").forEach(l -> labels.add(l.asText()));
      }
    }
    return new ModelSignature(new ModelSchema(specs(o, "inputs"), outputs), labels);
  }

  private static List<TensorSpec> specs(JsonNode o, String field) {
    JsonNode arr = o.get(field);
    if (arr == null || !arr.isArray()) {
      throw new IllegalArgumentException("'" + field + "' must be an array");
    }
    List<TensorSpec> specs = new ArrayList<>();
    for (JsonNode n : arr) {
      JsonNode shape = n.path("shape");
      if (!n.path("name").isTextual() || !n.path("dtype").isTextual() || !shape.isArray()) {
        throw new IllegalArgumentException(
            "each of '" + field + "' needs a name, a dtype and a shape");
      }
      int[] dims = new int[shape.size()];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = shape.get(i).asInt();
      }
      specs.add(new TensorSpec(n.get("name").asText(), DType.parse(n.get("dtype").asText()), dims));
    }
    return specs;
  }
}
