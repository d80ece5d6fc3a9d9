package dev.turnpike.listener.impl;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.util.ReferenceCountUtil;

/**
 * Closes a connection the listener has no room for, making sure nothing it already sent is served:
 * Vert.x may announce a connection while its first request is on its way through the pipeline.
 */
public final class ConnectionRefusal {
  /** Vert.x 5's name for the handler that turns decoded messages into requests. */
  private static final String VERTX_HANDLER = "handler";

  private static final ChannelHandler DISCARD = new Discard();

  private ConnectionRefusal() {}

  public static void refuse(ChannelPipeline pipeline) {
    Http2ConnectionHandler http2 = pipeline.get(Http2ConnectionHandler.class);
    if (http2 != null) {
      // GOAWAY with last stream 0: Netty ignores every stream the client opens from now on.
      ChannelHandlerContext ctx = pipeline.context(http2);
      http2.goAway(
          ctx, 0, Http2Error.REFUSED_STREAM.code(), Unpooled.EMPTY_BUFFER, ctx.newPromise());
    } else if (pipeline.get(VERTX_HANDLER) != null) {
      pipeline.addBefore(VERTX_HANDLER, "turnpikeRefused", DISCARD);
    }
    pipeline.channel().close();
  }

  /** Drops whatever reaches it. */
  @ChannelHandler.Sharable
  private static final class Discard extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }
}
