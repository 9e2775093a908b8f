package io.vouch.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** JSON the user hands the CLI (an option's value or a file), refused with a readable reason. */
public final class CliJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CliJson() {}

  /** Parses {@code text}, given as {@code what} (e.g. "--input"). */
  public static JsonNode parse(String what, String text) {
    if (text.isBlank()) {
      throw new VouchException(ErrorCode.BAD_INPUT, what + " is empty; it must hold JSON");
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new VouchException(ErrorCode.BAD_INPUT, what + " is not valid JSON: " + reason(e));
    }
  }

  /** Reads and parses {@code file}; a missing file is "no such file". */
  public static JsonNode read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    return parse(file.toString(), text);
  }

  /** Jackson's complaint in the user's terms, with where it is; no parser settings or classes. */
  static String reason(JsonProcessingException e) {
    String m = e.getOriginalMessage() == null ? "malformed" : e.getOriginalMessage();
    if (m.contains("'NaN'") || m.contains("Infinity'") || m.contains("'INF'")) {
      m = "NaN and Infinity are not JSON numbers; give finite numbers";
    } else if (m.startsWith("No content to map")) {
      m = "there is nothing in it";
    } else {
      m = m.replaceAll(":? *enable `[^`]*`[^\\n]*", "").replaceAll("`", "'");
      int nl = m.indexOf('\n');
      m = nl < 0 ? m : m.substring(0, nl);
    }
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 0
        ? m
        : m + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }
}
