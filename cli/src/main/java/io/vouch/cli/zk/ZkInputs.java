package io.vouch.cli.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.core.Hex;
import io.vouch.demo.text.HashedBagOfWords;
import io.vouch.onnx.quant.IntegerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Parsing of what the {@code zk} commands take on the command line. Every failure is an {@link
 * IllegalArgumentException} with a message fit for the user (the commands map it to exit code 2).
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

  /** A JSON array of numbers as floats. */
  static float[] floats(String what, JsonNode node) {
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException(what + " must be a JSON array of numbers");
    }
    float[] v = new float[node.size()];
    for (int i = 0; i < v.length; i++) {
      if (!node.get(i).isNumber()) {
        throw new IllegalArgumentException(what + "[" + i + "] is not a number: " + node.get(i));
      }
      v[i] = node.get(i).floatValue();
    }
    return v;
  }

  /** A JSON array of input vectors (the calibration file). */
  public static float[][] vectors(String what, JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException(what + " must be a non-empty JSON array of input vectors");
    }
    float[][] v = new float[node.size()][];
    for (int i = 0; i < v.length; i++) {
      v[i] = floats(what + "[" + i + "]", node.get(i));
    }
    return v;
  }

  /**
   * The model's int8 input: {@code --input} (float vector, quantized with the model's input
   * quantization) or {@code --text} (featurized by {@link HashedBagOfWords} with as many buckets as
   * the model has inputs — what the demo model expects).
   */
  static byte[] modelInput(IntegerModel model, String input, String text) {
    float[] x;
    if ((input == null) == (text == null)) {
      throw new IllegalArgumentException("give exactly one of --input JSON and --text TEXT");
    }
    if (text != null) {
      x = new HashedBagOfWords(model.inputSize()).vectorize(text);
    } else {
      x = floats("--input", jsonArgument("--input", input));
    }
    if (x.length != model.inputSize()) {
      throw new IllegalArgumentException(
          "--input has " + x.length + " values; the model takes " + model.inputSize());
    }
    return model.quantizeInputs(x);
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
