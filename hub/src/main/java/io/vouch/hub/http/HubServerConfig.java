package io.vouch.hub.http;

import java.time.Duration;

/**
 * How a {@link HubServer} listens.
 *
 * @param host address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port TCP port; 0 picks a free ephemeral port (read it back with {@link HubServer#port()})
 * @param maxBlobBytes largest accepted upload; larger ones get 413
 * @param stopGrace how long {@link HubServer#close()} lets in-flight exchanges finish
 */
public record HubServerConfig(String host, int port, long maxBlobBytes, Duration stopGrace) {
  /** 4 GiB: ONNX models are commonly hundreds of MB; protobuf caps a single file near 2 GiB. */
  public static final long DEFAULT_MAX_BLOB_BYTES = 4L << 30;

  public HubServerConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535 (0 = ephemeral), got " + port);
    }
    if (maxBlobBytes <= 0) {
      throw new IllegalArgumentException("maxBlobBytes must be positive, got " + maxBlobBytes);
    }
  }

  /** Loopback, ephemeral port, default limits: what tests and a local devnet want. */
  public static HubServerConfig loopback() {
    return new HubServerConfig("127.0.0.1", 0, DEFAULT_MAX_BLOB_BYTES, Duration.ofSeconds(2));
  }

  public HubServerConfig withMaxBlobBytes(long max) {
    return new HubServerConfig(host, port, max, stopGrace);
  }

  public HubServerConfig withPort(int newPort) {
    return new HubServerConfig(host, newPort, maxBlobBytes, stopGrace);
  }
}
