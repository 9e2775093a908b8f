package io.vouch.infra.http;

/**
 * The largest body a request may carry, decided from its head before any body byte is read (a
 * declared Content-Length over it is refused with 413 at once; a chunked body as soon as it grows
 * past it). The server's {@link HttpLimits#maxBodyBytes()} caps every answer.
 */
@FunctionalInterface
public interface BodyLimit {
  /**
   * @param method the request method (HEAD as GET)
   * @param path the decoded path
   * @param contentType the Content-Type header, or null
   */
  long maxBodyBytes(String method, String path, String contentType);

  /**
   * Why a route has the limit it has, appended to the 413 answer's message; empty when there is
   * nothing to say beyond the number.
   */
  default String reason(String method, String path) {
    return "";
  }

  /** The server's cap for every route. */
  static BodyLimit none() {
    return (method, path, contentType) -> Long.MAX_VALUE;
  }
}
