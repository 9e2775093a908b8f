package io.vouch.node.assembly;

import io.vouch.node.NodeConfig;

/**
 * Where the node's HTTP API listens and how much it accepts.
 *
 * @param host interface to bind
 * @param port HTTP port; 0 picks a free one
 * @param maxInputElements largest input tensor accepted
 * @param maxBodyBytes largest request body accepted
 */
public record HttpConfig(String host, int port, long maxInputElements, long maxBodyBytes) {
  public HttpConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    if (maxInputElements <= 0 || maxBodyBytes <= 0) {
      throw new IllegalArgumentException("size limits must be positive");
    }
  }

  /** With the default body limit, {@link NodeConfig#DEFAULT_MAX_BODY_BYTES}. */
  public HttpConfig(String host, int port, long maxInputElements) {
    this(host, port, maxInputElements, NodeConfig.DEFAULT_MAX_BODY_BYTES);
  }
}
