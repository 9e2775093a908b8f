package io.vouch.bench.server;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vouch.node.api.NodeHttpApi;
import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Helidon SE 4 webserver: a virtual thread per connection (its design), one route for every path
 * that reads the body and calls the node's routes.
 */
final class HelidonFront implements FrontServer {
  /** Helidon logs through java.util.logging; its INFO lines would interleave with JMH's output. */
  private static final Logger HELIDON_LOG = quiet(Logger.getLogger("io.helidon"));

  private final WebServer server;

  private static Logger quiet(Logger logger) {
    logger.setLevel(Level.WARNING);
    return logger;
  }

  private HelidonFront(WebServer server) {
    this.server = server;
  }

  static HelidonFront start(NodeHttpApi routes, long maxBodyBytes) {
    HELIDON_LOG.fine("starting a webserver in front of the node's routes");
    WebServer server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .maxPayloadSize(maxBodyBytes)
            .connectionOptions(o -> o.tcpNoDelay(true)) // as every other server here
            .routing(r -> r.any((req, res) -> serve(routes, req, res)))
            .build()
            .start();
    return new HelidonFront(server);
  }

  private static void serve(NodeHttpApi routes, ServerRequest req, ServerResponse res) {
    Exchanges.Headers headers = new Exchanges.Headers();
    for (Header h : req.headers()) {
      for (String v : h.allValues()) {
        headers.add(h.name(), v);
      }
    }
    byte[] body;
    try {
      body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
    } catch (RuntimeException e) {
      // Helidon's chunk parser fails inside the handler's read (NumberFormatException and the like)
      res.status(Status.BAD_REQUEST_400);
      res.header(HeaderValues.CONNECTION_CLOSE);
      res.send("malformed request body");
      return;
    }
    String query = req.query().rawValue();
    String target = req.path().rawPath() + (query.isEmpty() ? "" : "?" + query);
    NodeHttpApi.Answer answer =
        Exchanges.answer(
            routes,
            req.prologue().method().text(),
            target,
            headers.map,
            body,
            (InetSocketAddress) req.remotePeer().address());
    res.status(Status.create(answer.status()));
    answer.headers().forEach((name, value) -> res.header(HeaderNames.create(name), value));
    res.send(answer.body());
  }

  @Override
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
  }
}
