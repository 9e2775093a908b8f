package io.vouch.bench.server;

import io.vouch.node.api.NodeHttpApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What every adapter does the same way the node's own server does: header names in lower case with
 * repeated headers joined, the target split into a decoded path and a raw query, HEAD served as
 * GET, a failure of the routes answered 500, a cached Date header.
 */
final class Exchanges {
  private Exchanges() {}

  /** Collects header fields as the node's server does: lower-case names, repeats joined. */
  static final class Headers {
    final Map<String, String> map = new LinkedHashMap<>();

    void add(String name, String value) {
      map.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + ", " + b);
    }
  }

  /** The node's routes on one parsed request; never throws. */
  static NodeHttpApi.Answer answer(
      NodeHttpApi routes,
      String method,
      String target,
      Map<String, String> headers,
      byte[] body,
      InetSocketAddress remote) {
    String path;
    String query;
    try {
      URI uri = new URI(target);
      path = uri.getPath();
      query = uri.getRawQuery();
    } catch (URISyntaxException e) {
      return error(400, "malformed request target");
    }
    try {
      return routes.answer(
          new NodeHttpApi.Exchange(
              method.equals("HEAD") ? "GET" : method, path, query, headers, body, remote));
    } catch (IOException | RuntimeException e) {
      return error(500, "internal error: " + e);
    }
  }

  static NodeHttpApi.Answer error(int status, String message) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    String json =
        "{\"error\":\""
            + (status == 500 ? "INTERNAL" : "BAD_INPUT")
            + "\",\"message\":\""
            + message.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\"}";
    return new NodeHttpApi.Answer(status, h, json.getBytes(StandardCharsets.UTF_8));
  }

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private record Stamp(long second, String text) {}

  private static volatile Stamp date = new Stamp(-1, "");

  /** The Date header, formatted once per second (as the node's server does). */
  static String date() {
    long second = System.currentTimeMillis() / 1_000;
    Stamp d = date;
    if (d.second() != second) {
      d = new Stamp(second, DATE.format(Instant.ofEpochSecond(second)));
      date = d;
    }
    return d.text();
  }
}
