/**
 * The node's direct path behind different HTTP servers, measured in one JMH run against the same
 * ONNX Runtime baseline ({@code bench/README.md}, "HTTP server comparison"): the node's production
 * server ({@code infra}'s {@code HttpServer}, Jetty 12 core, param {@code NODE}), Netty (NIO and
 * epoll, handler on the event loop or on a small executor), Jetty 12 (core handler, platform-thread
 * pool) and Helidon SE 4 (virtual threads). Every server runs the same routes and work through
 * {@link io.vouch.node.api.NodeHttpApi#answer}, called by the SDK's own client; the adapters here
 * only convert each server's request and response. A benchmark, not a production server: nothing
 * outside {@code bench} uses it.
 */
package io.vouch.bench.server;
