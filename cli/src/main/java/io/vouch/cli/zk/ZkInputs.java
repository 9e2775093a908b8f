package io.vouch.cli.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.cli.CliInputs;
import io.vouch.cli.CliJson;
import io.vouch.core.Hex;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.demo.text.HashedBagOfWords;
import io.vouch.onnx.ModelSchema;
import io.vouch.onnx.TensorSpec;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.ModelInput;
import io.vouch.onnx.quant.TensorShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the {@code zk} commands take on the command line. Inputs come in {@code vouch infer}'s
 * forms, read by {@link CliInputs} (one tensor, one JSON object of named tensors, {@code --input
 * NAME=@FILE} per input, {@code --input-file FILE}); this class only matches them to a model:
 * {@link #modelInput} to a ZK model's inputs (prove, verify), {@link #calibration} to an ONNX
 * model's schema (compile's {@code --calibration}). Every failure is a {@link VouchException}
 * ({@code BAD_INPUT}, exit 2) or an {@link IllegalArgumentException} with a message fit for the
 * user, naming the input and what to write instead.
 */
public final class ZkInputs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ZkInputs() {}

  /** Inline JSON (starts with {@code [} or <code>{</code>) or the path of a JSON file. */
  public static JsonNode jsonArgument(String what, String value) {
    String trimmed = value.strip();
    try {
      if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
        return JSON.readTree(trimmed);
      }
      return JSON.readTree(Files.readString(Path.of(trimmed)));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(what + ": no such file: " + trimmed, e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          what + ": neither inline JSON nor a readable JSON file: " + e.getMessage(), e);
    }
  }

  /**
   * The calibration inputs in {@code file} for the ONNX model of {@code schema}: a JSON array whose
   * elements each take one of {@code vouch infer}'s forms (a tensor for a model with one input, an
   * object of named tensors otherwise), checked against the schema as {@code vouch infer} checks an
   * input; a tensor with a batch axis of B gives B calibration inputs. The result holds, per
   * calibration input, the values of every model input concatenated in the model's input order (the
   * order {@link io.vouch.zk.mlp.ZkCompiler} takes).
   */
  public static float[][] calibration(ModelSchema schema, Path file) {
    String what = "--calibration " + file;
    JsonNode node = CliJson.read(file);
    if (!node.isArray() || node.isEmpty()) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          what
              + " must be a non-empty JSON array of inputs, each as vouch infer --input takes it ("
              + (schema.inputs().size() == 1
                  ? "{\"dtype\":…,\"shape\":[…],\"data\":[…]}"
                  : "{\"<input name>\":{\"dtype\":…,\"shape\":[…],\"data\":[…]}, …}")
              + "); the model takes "
              + schema.describeInputs());
    }
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String where = what + " [" + i + "]";
      NamedTensors given = CliInputs.fromJson(node.get(i), where);
      Map<String, Tensor> named;
      try {
        named = byName(given, schema.inputNames(), schema.describeInputs(), false);
      } catch (VouchException e) {
        throw new VouchException(ErrorCode.BAD_INPUT, where + ": " + e.getMessage());
      }
      try {
        schema.checkInputs(named);
      } catch (VouchException e) {
        throw new VouchException(ErrorCode.BAD_INPUT, where + ": " + e.getMessage());
      }
      int batch = -1;
      for (TensorSpec spec : schema.inputs()) {
        int[] shape = named.get(spec.name()).shape();
        int b = spec.rank() > 1 ? shape[0] : 1;
        if (batch >= 0 && b != batch) {
          throw new VouchException(
              ErrorCode.BAD_INPUT,
              where
                  + ": the inputs have batch axes of "
                  + batch
                  + " and "
                  + b
                  + "; give every input of one calibration entry the same batch size");
        }
        batch = b;
      }
      for (int r = 0; r < batch; r++) {
        List<Float> row = new ArrayList<>();
        for (TensorSpec spec : schema.inputs()) {
          Tensor t = named.get(spec.name());
          long per = t.elementCount() / batch;
          for (long k = r * per; k < (r + 1) * per; k++) {
            row.add((float) t.getAsDouble(Math.toIntExact(k)));
          }
        }
        float[] v = new float[row.size()];
        for (int k = 0; k < v.length; k++) {
          v[k] = row.get(k);
        }
        rows.add(v);
      }
    }
    if (rows.isEmpty()) {
      throw new VouchException(
          ErrorCode.BAD_INPUT, what + " holds no input (every batch axis is 0); give some");
    }
    return rows.toArray(new float[0][]);
  }

  /**
   * The statement input of {@code model} for the tensors given: each of the model's inputs by name
   * (a lone tensor names the model's only input), a float input as float32 or float64 values
   * (quantized with the input's scale and zero point), a token input as int64 or int32 ids within
   * its embedding table, each of the input's shape with the batch axis (size 1) or not.
   */
  static byte[] modelInput(IntegerModel model, NamedTensors given) {
    List<String> names = model.inputs().stream().map(ModelInput::name).toList();
    Map<String, Tensor> named = byName(given, names, describe(model), true);
    float[] x = new float[model.inputSize()];
    int at = 0;
    for (ModelInput in : model.inputs()) {
      Tensor t = named.get(in.name());
      checkDtype(model, in, t);
      checkShape(model, in, t);
      int n = in.shape().size();
      if (in.isIndex()) {
        long[] ids = t.dtype() == DType.INT64 ? t.toLongs() : toLongs(t.toInts());
        for (int i = 0; i < n; i++) {
          if (ids[i] < 0 || ids[i] >= in.indexRange()) {
            throw new VouchException(
                ErrorCode.BAD_INPUT,
                "input '"
                    + in.name()
                    + "' value "
                    + i
                    + " is "
                    + ids[i]
                    + "; the ZK model takes token ids in [0, "
                    + in.indexRange()
                    + ") (the rows of its embedding table); give ids in that range");
          }
          x[at + i] = ids[i];
        }
      } else {
        for (int i = 0; i < n; i++) {
          x[at + i] = (float) t.getAsDouble(i);
        }
      }
      at += n;
    }
    return model.quantizeInputs(x);
  }

  /**
   * {@code --text}: the message featurized with the hashed bag of words, as many buckets as the
   * model's one float input has values (what the demo model expects).
   */
  static byte[] textInput(IntegerModel model, String text) {
    if (model.inputs().size() != 1 || model.inputs().getFirst().isIndex()) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "--text featurizes a message for a model with one float input; this ZK model takes "
              + describe(model)
              + "; give --input instead");
    }
    return model.quantizeInputs(new HashedBagOfWords(model.inputSize()).vectorize(text));
  }

  /**
   * The tensors by the model's input names: a lone tensor is the only input's. {@code options}: the
   * fix names {@code --input NAME=@FILE} (a command line), else a JSON object (a file).
   */
  private static Map<String, Tensor> byName(
      NamedTensors given, List<String> names, String described, boolean options) {
    if (given.size() == 1 && given.names().getFirst().equals(NamedTensors.LONE)) {
      if (names.size() != 1) {
        throw new VouchException(
            ErrorCode.BAD_INPUT,
            "the model takes "
                + names.size()
                + " inputs; give each by name ("
                + (options ? "--input NAME=@FILE for each, or " : "")
                + "one JSON object of named tensors {\"<name>\":{\"dtype\":…}, …}): "
                + described);
      }
      return Map.of(names.getFirst(), given.only());
    }
    Map<String, Tensor> named = new LinkedHashMap<>(given.asMap());
    for (String name : named.keySet()) {
      if (!names.contains(name)) {
        throw new VouchException(
            ErrorCode.BAD_INPUT,
            "unknown input '" + name + "'; the model takes " + described + "; give those names");
      }
    }
    for (String name : names) {
      if (!named.containsKey(name)) {
        throw new VouchException(
            ErrorCode.BAD_INPUT,
            "missing input '"
                + name
                + "'; the model takes "
                + described
                + (options
                    ? "; give each (--input "
                        + name
                        + "=@FILE, or one more entry in the JSON object)"
                    : "; give each, one entry per input in each JSON object"));
      }
    }
    return named;
  }

  private static void checkDtype(IntegerModel model, ModelInput in, Tensor t) {
    boolean ok =
        in.isIndex()
            ? t.dtype() == DType.INT64 || t.dtype() == DType.INT32
            : t.dtype() == DType.FLOAT32 || t.dtype() == DType.FLOAT64;
    if (!ok) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "input '"
              + in.name()
              + "' is "
              + t.dtype().jsonName()
              + " but the ZK model takes "
              + (in.isIndex()
                  ? "integer token ids; write \"dtype\":\"int64\" (or int32)"
                  : "float values; write \"dtype\":\"float32\"")
              + "; the model takes "
              + describe(model));
    }
  }

  /** The shape without its axes of size 1 must be the model's (so [1, 16] or [16] for [16]). */
  private static void checkShape(IntegerModel model, ModelInput in, Tensor t) {
    int[] given = significant(t.shape());
    int[] expected = significant(dims(in.shape()));
    if (!Arrays.equals(given, expected)) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "input '"
              + in.name()
              + "' has shape "
              + Arrays.toString(t.shape())
              + " but the ZK model takes "
              + in.shape().size()
              + " values shaped "
              + shapeText(in)
              + " (a leading batch axis of 1 is allowed, e.g. [1, "
              + shapeText(in).substring(1)
              + "); one inference per proof; the model takes "
              + describe(model));
    }
  }

  private static int[] dims(TensorShape s) {
    return new int[] {s.channels(), s.height(), s.width()};
  }

  private static int[] significant(int[] shape) {
    return Arrays.stream(shape).filter(d -> d != 1).toArray();
  }

  private static String shapeText(ModelInput in) {
    int[] s = significant(dims(in.shape()));
    return Arrays.toString(s.length == 0 ? new int[] {1} : s);
  }

  /** {@code tokens: int64 ids in [0, 50) shaped [8], features: float32 shaped [8, 16]}. */
  static String describe(IntegerModel model) {
    return model.inputs().stream()
        .map(in ->
            in.name()
                + ": "
                + (in.isIndex()
                    ? "int64 token ids in [0, " + in.indexRange() + ")"
                    : "float32 values")
                + " shaped "
                + shapeText(in))
        .collect(Collectors.joining(", "));
  }

  private static long[] toLongs(int[] v) {
    return Arrays.stream(v).asLongStream().toArray();
  }

  /** Logits: a JSON array of integers or an object with a {@code logits} array (prove's --json). */
  static long[] logits(String value) {
    JsonNode node = jsonArgument("--output", value);
    if (node.isObject()) {
      node = node.get("logits");
    }
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException(
          "--output must be a JSON array of integer logits, or prove's --json output");
    }
    long[] v = new long[node.size()];
    for (int i = 0; i < v.length; i++) {
      if (!node.get(i).canConvertToLong() || !node.get(i).isIntegralNumber()) {
        throw new IllegalArgumentException("--output[" + i + "] is not an integer: " + node.get(i));
      }
      v[i] = node.get(i).longValue();
    }
    return v;
  }

  /** A 32-byte request id in hex ({@code 0x} optional). */
  static byte[] requestId(String hex) {
    byte[] id = Hex.decode(hex.strip());
    if (id.length != 32) {
      throw new IllegalArgumentException(
          "--request-id must be 32 bytes (64 hex digits), got " + id.length + " bytes");
    }
    return id;
  }
}
