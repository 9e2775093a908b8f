package io.vouch.infra.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer. The server adds Date, Content-Length and, when it closes the connection afterwards,
 * {@code Connection: close}.
 *
 * @param headers in the order they are sent; {@link #with} adds to it
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

  /** An answer with one header, Content-Type. */
  public static HttpResponse of(int status, String contentType, byte[] body) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", contentType);
    return new HttpResponse(status, h, body);
  }

  /** Adds (or replaces) a header; returns this answer. */
  public HttpResponse with(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
