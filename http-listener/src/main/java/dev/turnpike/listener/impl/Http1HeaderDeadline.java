package dev.turnpike.listener.impl;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The header read deadline of one HTTP/1.x connection. Two small handlers share it: one before
 * Vert.x's request decoder sees bytes arrive (a new request has begun), one after it sees the
 * decoded request head (its headers are complete) and the request's end (the next bytes start a new
 * one). A connection whose current request has been in its headers for longer than the timeout is
 * closed.
 *
 * <p>Cheap on the hot path: a request only writes two fields. One timer per connection checks the
 * deadline, re-armed for the time left rather than per request, and none runs while the connection
 * is between requests (the idle timeout covers that) or inside one.
 */
public final class Http1HeaderDeadline {
  /** Vert.x 5's name for its HTTP/1.x request decoder in a connection's pipeline. */
  static final String DECODER = "httpDecoder";

  /** Vert.x 5's name for its h2c upgrade handler, present until the first request's head passed. */
  static final String H2C_UPGRADE = "h2c";

  private enum State {
    BETWEEN_REQUESTS,
    READING_HEADERS,
    IN_REQUEST
  }

  private final Channel channel;
  private final long timeoutNanos;
  private State state;
  private long headersSince;
  private ScheduledFuture<?> check;

  private Http1HeaderDeadline(Channel channel, long timeoutNanos) {
    this.channel = channel;
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * Puts the deadline around the pipeline's request decoder. A connection Vert.x announces before
   * any request (no h2c) is reading its first headers from now; one announced by the h2c upgrade
   * handler is already inside its first request.
   */
  public static void install(ChannelPipeline pipeline, long timeoutNanos) {
    if (pipeline.get(DECODER) == null) {
      return; // Not HTTP/1.x after all: nothing here to watch.
    }
    Http1HeaderDeadline deadline = new Http1HeaderDeadline(pipeline.channel(), timeoutNanos);
    boolean insideFirstRequest = pipeline.get(H2C_UPGRADE) != null;
    pipeline.addBefore(DECODER, "turnpikeRequestBytes", deadline.new RequestBytes());
    pipeline.addAfter(DECODER, "turnpikeRequestHeads", deadline.new RequestHeads());
    if (insideFirstRequest) {
      deadline.state = State.IN_REQUEST;
    } else {
      deadline.startHeaders();
    }
  }

  private void startHeaders() {
    state = State.READING_HEADERS;
    headersSince = System.nanoTime();
    if (check == null) {
      check = channel.eventLoop().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void check() {
    check = null;
    if (state != State.READING_HEADERS || !channel.isActive()) {
      return;
    }
    long left = timeoutNanos - (System.nanoTime() - headersSince);
    if (left > 0) {
      check = channel.eventLoop().schedule(this::check, left, TimeUnit.NANOSECONDS);
      return;
    }
    channel.close();
  }

  private void stop() {
    if (check != null) {
      check.cancel(false);
      check = null;
    }
  }

  /** Before the decoder: the first bytes after a request has ended begin the next one. */
  private final class RequestBytes extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (state == State.BETWEEN_REQUESTS) {
        if (ctx.pipeline().get(DECODER) == null) {
          // Upgraded to another protocol (WebSocket, h2c): no HTTP/1.x requests to time any more.
          stop();
          ctx.pipeline().remove(this);
          if (ctx.pipeline().get(RequestHeads.class) != null) {
            ctx.pipeline().remove(RequestHeads.class);
          }
        } else {
          startHeaders();
        }
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      stop();
      ctx.fireChannelInactive();
    }
  }

  /** After the decoder: a request head means its headers are in; its last content ends it. */
  private final class RequestHeads extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof HttpRequest) {
        state = State.IN_REQUEST;
      }
      if (msg instanceof LastHttpContent) {
        state = State.BETWEEN_REQUESTS;
      }
      ctx.fireChannelRead(msg);
    }
  }
}
