package io.vouch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.json.TensorJson;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model's inputs as the user gives them on the command line: one tensor as JSON (a model with one
 * input), one JSON object of tensors by input name, or one {@code --input NAME=@FILE} / {@code
 * NAME=JSON} per input. Every mistake is refused naming the option, the input and what to write.
 * {@code vouch infer} and {@code vouch zk compile|prove|verify} read their inputs through it.
 */
public final class CliInputs {
  private static final Pattern NAMED =
      Pattern.compile("([^={}\\[\\]\"\\s][^=]*)=(.*)", Pattern.DOTALL);

  private CliInputs() {}

  /**
   * What {@code --input} (one or more values) or {@code --input-file FILE} (exactly one of them
   * given) holds.
   */
  public static NamedTensors read(List<String> inputs, Path inputFile) {
    if (inputFile != null) {
      return fromJson(CliJson.read(inputFile), inputFile.toString());
    }
    return fromOptions(inputs);
  }

  /** The values of {@code --input} (one or more). */
  public static NamedTensors fromOptions(List<String> values) {
    if (values.size() == 1 && !NAMED.matcher(values.getFirst().strip()).matches()) {
      return fromJson(CliJson.parse("--input", values.getFirst()), "--input");
    }
    Map<String, Tensor> named = new LinkedHashMap<>();
    for (String v : values) {
      Matcher m = NAMED.matcher(v.strip());
      if (!m.matches()) {
        throw new VouchException(
            ErrorCode.BAD_INPUT,
            "--input '"
                + abbreviate(v)
                + "': with several --input options each must be NAME=@FILE or NAME=JSON");
      }
      String name = m.group(1).strip();
      String value = m.group(2).strip();
      String what = "--input " + name;
      JsonNode json =
          value.startsWith("@")
              ? CliJson.read(Path.of(value.substring(1)))
              : CliJson.parse(what, value);
      if (named.put(name, tensor(json, what)) != null) {
        throw new VouchException(
            ErrorCode.BAD_INPUT, "--input " + name + " is given twice; give each input once");
      }
    }
    try {
      return NamedTensors.of(named);
    } catch (IllegalArgumentException e) {
      throw new VouchException(ErrorCode.BAD_INPUT, "--input: " + e.getMessage());
    }
  }

  /**
   * One tensor ({@code {"dtype":…}} or {@code {"canonical":…}}) or an object of tensors by name,
   * from {@code what} (an option or a file name).
   */
  public static NamedTensors fromJson(JsonNode json, String what) {
    if (json != null && json.isObject() && !isTensor(json)) {
      try {
        return TensorJson.namedFromJson(json);
      } catch (IllegalArgumentException e) {
        throw new VouchException(ErrorCode.BAD_INPUT, what + ": " + e.getMessage());
      }
    }
    return NamedTensors.lone(tensor(json, what));
  }

  private static Tensor tensor(JsonNode json, String what) {
    try {
      return TensorJson.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new VouchException(ErrorCode.BAD_INPUT, what + ": " + e.getMessage());
    }
  }

  private static boolean isTensor(JsonNode o) {
    return o.has("dtype") || o.has("canonical") || o.has("shape") || o.has("data");
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
