package io.vouch.infra.http;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * One request as a router sees it: the whole body is in, the framing was checked.
 *
 * @param method as sent, except that HEAD arrives as GET (the server drops the answer's body)
 * @param path the decoded path of the target (origin or absolute form)
 * @param query the raw query, or null
 * @param headers by lower-case name; repeated fields joined with ", "
 * @param body the request body, empty when there is none
 * @param remote the client's address
 */
public record HttpRequest(
    String method,
    String path,
    String query,
    Map<String, String> headers,
    byte[] body,
    InetSocketAddress remote) {

  /** A header's value, or null; {@code name} in lower case. */
  public String header(String name) {
    return headers.get(name);
  }
}
