package io.vouch.cli.options;

import io.vouch.node.assembly.HttpConfig;
import picocli.CommandLine.Option;

/** Where {@code vouch node run}'s HTTP API listens and how large an input it takes. */
public final class NodeHttpOptions {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind.")
  String host;

  @Option(names = "--port", defaultValue = "0", description = "HTTP port; 0 picks a free one.")
  int port;

  @Option(
      names = "--max-input-elements",
      defaultValue = "1048576",
      description = "Largest input tensor accepted.")
  long maxInputElements;

  /**
   * The API's configuration, with the node's default body limit.
   *
   * @throws IllegalArgumentException for a port outside 0..65535 or a limit that is not positive
   */
  public HttpConfig toConfig() {
    return new HttpConfig(host, port, maxInputElements);
  }
}
