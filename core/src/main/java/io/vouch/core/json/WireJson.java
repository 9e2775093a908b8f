package io.vouch.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vouch.core.WireNumbers;
import java.io.IOException;

/**
 * JSON that arrives from another party (a request body, a node's or a hub's answer): parsed with
 * numbers limited to {@value WireNumbers#UINT256_DIGITS} characters, the longest a uint256 is in
 * decimal. Jackson's own limit is 1,000 characters and it parses a number before any of our checks
 * sees it ({@link WireNumbers} checks the texts that reach it); no number on the wire is longer
 * than a uint256, and a float that a client prints is shorter still.
 */
public final class WireJson {
  /** What every wire-facing parser allows: numbers up to a uint256's decimal digits. */
  public static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder().maxNumberLength(WireNumbers.UINT256_DIGITS).build();

  private static final ObjectMapper MAPPER = JsonMapper.builder(factory()).build();

  private WireJson() {}

  /** A new factory with the wire's limits, for a module that builds its own mapper on it. */
  public static JsonFactory factory() {
    return JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build();
  }

  /** A mapper with the wire's limits (shared, thread-safe). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * The tree of {@code raw}.
   *
   * @throws IllegalArgumentException saying what is wrong and where: a number longer than a uint256
   *     names its place in the document (a JSON Pointer, {@code /voucher/cumulativeAmount}); other
   *     malformed JSON says what the parser met
   */
  public static JsonNode readTree(byte[] raw) {
    try (JsonParser p = MAPPER.createParser(raw)) {
      try {
        return MAPPER.readTree(p);
      } catch (StreamConstraintsException e) {
        throw new IllegalArgumentException(
            "the number at "
                + where(p)
                + " is longer than "
                + WireNumbers.UINT256_DIGITS
                + " characters (a uint256 has at most "
                + WireNumbers.UINT256_DIGITS
                + " decimal digits)",
            e);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(e.getOriginalMessage(), e);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static String where(JsonParser p) {
    String pointer = p.getParsingContext().pathAsPointer().toString();
    return pointer.isEmpty() ? "the top level" : "'" + pointer + "'";
  }
}
