package io.vouch.bench.server;

/** An HTTP server in front of the node's routes, listening on 127.0.0.1. */
interface FrontServer extends AutoCloseable {
  /** The bound port. */
  int port();

  @Override
  void close();
}
