package io.vouch.infra.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer: a whole body, or a body streamed as it is produced. For a whole body the server adds
 * Content-Length; a streamed body goes out chunked (HTTP/1.0: delimited by closing the connection).
 * The server adds Date and, when it closes the connection afterwards, {@code Connection: close}.
 *
 * @param headers in the order they are sent; {@link #with} adds to it
 * @param body the whole body; empty when the answer is streamed
 * @param stream writes a streamed body, null for a whole one
 */
public record HttpResponse(
    int status, Map<String, String> headers, byte[] body, BodyWriter stream) {
  private static final byte[] EMPTY = new byte[0];

  /** Writes a streamed body. */
  @FunctionalInterface
  public interface BodyWriter {
    /**
     * Runs on the request's thread once the head is sent; each write leaves as it is made (a write
     * blocks while the client does not read). An exception after the first write cuts the
     * connection, so that the client sees a truncated body rather than a complete one.
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /** An answer with a whole body. */
  public HttpResponse(int status, Map<String, String> headers, byte[] body) {
    this(status, headers, body, null);
  }

  /** An answer with a whole body and one header, Content-Type. */
  public static HttpResponse of(int status, String contentType, byte[] body) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", contentType);
    return new HttpResponse(status, h, body, null);
  }

  /** An answer whose body {@code writer} streams, with one header, Content-Type. */
  public static HttpResponse streaming(int status, String contentType, BodyWriter writer) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", contentType);
    return new HttpResponse(status, h, EMPTY, writer);
  }

  /** Whether the body is streamed ({@link #stream()}) rather than whole ({@link #body()}). */
  public boolean streamed() {
    return stream != null;
  }

  /** Adds (or replaces) a header; returns this answer. */
  public HttpResponse with(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
