package io.vouch.bench.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vouch.node.api.NodeHttpApi;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2: {@code HttpServerCodec} (strict line parsing) + {@code HttpObjectAggregator} + one
 * handler that calls the node's routes, either on the connection's event loop or on a small
 * executor group (one executor per connection, so answers keep their order), since inference, a
 * ZKML proof or a chain call blocks.
 */
final class NettyFront implements FrontServer {
  /** Threads of the offload group: as many as concurrent clients in the throughput benchmark. */
  static final int OFFLOAD_THREADS = 4;

  enum Transport {
    NIO,
    EPOLL
  }

  private final EventLoopGroup group;
  private final EventExecutorGroup offload;
  private final ChannelGroup connections;
  private final Channel channel;

  private NettyFront(
      EventLoopGroup group, EventExecutorGroup offload, ChannelGroup connections, Channel channel) {
    this.group = group;
    this.offload = offload;
    this.connections = connections;
    this.channel = channel;
  }

  /** The decoder settings the node would use: its own server's limits, strict line endings. */
  static HttpDecoderConfig decoderConfig() {
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(8 * 1024)
        .setMaxHeaderSize(64 * 1024)
        .setStrictLineParsing(true);
  }

  static NettyFront start(
      NodeHttpApi routes, Transport transport, boolean offloaded, int maxBodyBytes)
      throws InterruptedException {
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            transport == Transport.EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    EventExecutorGroup offload = offloaded ? new DefaultEventExecutorGroup(OFFLOAD_THREADS) : null;
    Class<? extends ServerChannel> channelType =
        transport == Transport.EPOLL
            ? EpollServerSocketChannel.class
            : NioServerSocketChannel.class;
    RouteHandler handler = new RouteHandler(routes);
    ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    Channel channel =
        new ServerBootstrap()
            .group(group)
            .channel(channelType)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    connections.add(ch);
                    ch.pipeline()
                        .addLast(new HttpServerCodec(decoderConfig()))
                        .addLast(new HttpObjectAggregator(maxBodyBytes));
                    if (offload != null) {
                      // deprecated in 4.2 (handler executor groups); still the shortest way to
                      // keep a connection's answers in order off the event loop
                      ch.pipeline().addLast(offload, "node", handler);
                    } else {
                      ch.pipeline().addLast("node", handler);
                    }
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    return new NettyFront(group, offload, connections, channel);
  }

  @Override
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    // connections first, so that no event is left for an executor that has already stopped
    connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    // both at once, each waiting for a quiet moment: events of closing connections go back and
    // forth between the event loop and the offload executor
    var loops = group.shutdownGracefully(100, 2_000, TimeUnit.MILLISECONDS);
    if (offload != null) {
      offload.shutdownGracefully(100, 2_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
    loops.syncUninterruptibly();
  }

  @ChannelHandler.Sharable
  private static final class RouteHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final NodeHttpApi routes;

    RouteHandler(NodeHttpApi routes) {
      this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      NodeHttpApi.Answer answer;
      if (!req.decoderResult().isSuccess()) {
        keepAlive = false;
        answer = Exchanges.error(400, "malformed request: " + req.decoderResult().cause());
      } else if (req.protocolVersion().equals(HttpVersion.HTTP_1_1)
          && !req.headers().contains(HttpHeaderNames.HOST)) {
        // Netty's decoder does not require Host (RFC 9112 section 3.2 does)
        keepAlive = false;
        answer = Exchanges.error(400, "an HTTP/1.1 request must carry a Host header");
      } else {
        Exchanges.Headers headers = new Exchanges.Headers();
        for (Map.Entry<String, String> h : req.headers()) {
          headers.add(h.getKey(), h.getValue());
        }
        answer =
            Exchanges.answer(
                routes,
                req.method().name(),
                req.uri(),
                headers.map,
                ByteBufUtil.getBytes(req.content()),
                (InetSocketAddress) ctx.channel().remoteAddress());
      }
      boolean head = req.method().name().equals("HEAD");
      FullHttpResponse res =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(answer.status()),
              head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
      res.headers().set(HttpHeaderNames.DATE, Exchanges.date());
      answer.headers().forEach(res.headers()::set);
      res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
      HttpUtil.setKeepAlive(res, keepAlive);
      var written = ctx.writeAndFlush(res);
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
