package io.vouch.bench.server;

import io.vouch.node.api.NodeHttpApi;

/** The HTTP servers compared; a JMH {@code @Param}. */
public enum NodeServer {
  /**
   * The node's server as it runs in production: {@code infra}'s {@code HttpServer} (Jetty 12 core,
   * asynchronous body read, the issue 9 limits), started by the node itself. Until the switch this
   * row measured the node's own {@code Http1Server} (a platform thread per connection; its figures
   * stay in bench/README.md as history).
   */
  NODE,
  /** Netty, NIO transport, the routes run on the connection's event loop. */
  NETTY_NIO_LOOP,
  /** Netty, NIO transport, the routes run on a 4-thread executor group. */
  NETTY_NIO_OFFLOAD,
  /** Netty, native epoll transport, the routes run on the connection's event loop. */
  NETTY_EPOLL_LOOP,
  /** Netty, native epoll transport, the routes run on a 4-thread executor group. */
  NETTY_EPOLL_OFFLOAD,
  /**
   * Jetty 12 core handler on its platform-thread pool, default execution strategy, the body waited
   * for on the pool thread (a bench adapter, not the node's hardened server).
   */
  JETTY,
  /** The same, the body read asynchronously: no thread waits for a slow body. */
  JETTY_ASYNC,
  /** Helidon SE 4 webserver, a virtual thread per connection. */
  HELIDON;

  /** A server of this kind in front of {@code routes}; not for {@link #NODE}. */
  FrontServer start(NodeHttpApi routes, int maxBodyBytes) throws Exception {
    return switch (this) {
      case NODE -> throw new IllegalStateException("the node's own server is started by the node");
      case NETTY_NIO_LOOP ->
          NettyFront.start(routes, NettyFront.Transport.NIO, false, maxBodyBytes);
      case NETTY_NIO_OFFLOAD ->
          NettyFront.start(routes, NettyFront.Transport.NIO, true, maxBodyBytes);
      case NETTY_EPOLL_LOOP ->
          NettyFront.start(routes, NettyFront.Transport.EPOLL, false, maxBodyBytes);
      case NETTY_EPOLL_OFFLOAD ->
          NettyFront.start(routes, NettyFront.Transport.EPOLL, true, maxBodyBytes);
      case JETTY -> JettyFront.start(routes, maxBodyBytes, false);
      case JETTY_ASYNC -> JettyFront.start(routes, maxBodyBytes, true);
      case HELIDON -> HelidonFront.start(routes, maxBodyBytes);
    };
  }
}
