package io.vouch.bench.server;

import io.vouch.node.api.NodeHttpApi;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 core (no servlets): one blocking {@code Handler} that reads the body and calls the
 * node's routes, on Jetty's platform-thread pool with its default execution strategy (adaptive: the
 * selector thread may run the handler itself when another thread can take over selecting).
 */
final class JettyFront implements FrontServer {
  private final Server server;
  private final ServerConnector connector;

  private JettyFront(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  static JettyFront start(NodeHttpApi routes, int maxBodyBytes, boolean asyncBody)
      throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("jetty-node");
    Server server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setRequestHeaderSize(64 * 1024);
    // RFC9110 (the default) still accepts a bare LF ending a head line; issue 9 refuses it
    config.setHttpCompliance(HttpCompliance.STRICT);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    // refuses a declared Content-Length over the limit before reading (413)
    SizeLimitHandler sizeLimit = new SizeLimitHandler(maxBodyBytes, -1);
    sizeLimit.setHandler(new RouteHandler(routes, maxBodyBytes, asyncBody));
    server.setHandler(sizeLimit);
    server.start();
    return new JettyFront(server, connector);
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping Jetty", e);
    }
  }

  private static final class RouteHandler extends Handler.Abstract {
    private final NodeHttpApi routes;
    private final int maxBodyBytes;
    private final boolean asyncBody;

    RouteHandler(NodeHttpApi routes, int maxBodyBytes, boolean asyncBody) {
      super(InvocationType.BLOCKING);
      this.routes = routes;
      this.maxBodyBytes = maxBodyBytes;
      this.asyncBody = asyncBody;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (asyncBody) {
        // no thread waits for the body: the routes run on a pool thread once all of it is in
        Content.Source.asByteArrayAsync(
            request,
            maxBodyBytes,
            Promise.Invocable.from(
                InvocationType.BLOCKING,
                body -> answer(request, response, callback, body),
                failure -> refuse(request, response, callback, failure)));
        return true;
      }
      byte[] body;
      try {
        // blocking read of the whole body, refused beyond the limit
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Content.Source.asByteArrayAsync(request, maxBodyBytes, Promise.Invocable.toPromise(read));
        body = read.get();
      } catch (ExecutionException e) {
        refuse(request, response, callback, e.getCause());
        return true;
      }
      answer(request, response, callback, body);
      return true;
    }

    /** A chunk Jetty's parser refused (its status), or more than the limit. */
    private static void refuse(
        Request request, Response response, Callback callback, Throwable failure) {
      int status = failure instanceof HttpException h ? h.getCode() : 413;
      Response.writeError(request, response, callback, status, failure.getMessage());
    }

    private void answer(Request request, Response response, Callback callback, byte[] body) {
      Exchanges.Headers headers = new Exchanges.Headers();
      for (HttpField f : request.getHeaders()) {
        headers.add(f.getLowerCaseName(), f.getValue());
      }
      SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
      NodeHttpApi.Answer answer =
          Exchanges.answer(
              routes,
              request.getMethod(),
              request.getHttpURI().getPathQuery(),
              headers.map,
              body,
              (InetSocketAddress) remote);
      response.setStatus(answer.status());
      answer.headers().forEach(response.getHeaders()::put);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
      response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }
  }
}
