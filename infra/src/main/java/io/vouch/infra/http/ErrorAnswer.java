package io.vouch.infra.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The body of the answers the server gives itself (a request it cannot frame, a body over its
 * limit, a connection over the limits, a route that threw): a JSON object {@code {"error": NAME,
 * "message": ...}} whose names the caller chooses, so that they match the names of its own routes'
 * errors.
 */
@FunctionalInterface
public interface ErrorAnswer {
  HttpResponse answer(int status, String message);

  /** {@code {"error": names(status), "message": message}} as {@code application/json}. */
  static ErrorAnswer json(IntFunction<String> names) {
    return (status, message) -> {
      String json =
          "{\"error\":\""
              + jsonEscape(names.apply(status))
              + "\",\"message\":\""
              + jsonEscape(message)
              + "\"}";
      return HttpResponse.of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    };
  }

  /** Names from the status alone: 413 {@code PAYLOAD_TOO_LARGE}, 503 {@code UNAVAILABLE}, ... */
  static ErrorAnswer json() {
    return json(status ->
        switch (status) {
          case 408 -> "REQUEST_TIMEOUT";
          case 413 -> "PAYLOAD_TOO_LARGE";
          case 500 -> "INTERNAL";
          case 503 -> "UNAVAILABLE";
          default -> status < 500 ? "BAD_REQUEST" : "SERVER_ERROR";
        });
  }

  private static String jsonEscape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
