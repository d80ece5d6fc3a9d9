package dev.turnpike.gateway.http;

import dev.turnpike.gateway.response.GatewayResponseType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Answers an HTTP/1.x request whose body the decoder could not read (a chunk size that is no hex
 * number or overflows, chunk data not followed by CRLF, broken trailers) with API Gateway's 400,
 * then closes the connection: without it the client got no answer at all.
 *
 * <p>Why here, in the connection's Netty pipeline, and not in the request chain: Netty's decoder
 * hands Vert.x an empty last chunk carrying the failure and drops the rest of the connection's
 * bytes; Vert.x 5.0's {@code Http1xServerConnection} turns it into an exception fired down the
 * pipeline, and its {@code VertxHandler} closes the channel as soon as the request's exception
 * handler has run, in the same call. The request chain rarely has a handler on the body then (its
 * backend request is usually still connecting), and whatever it does write is not flushed yet
 * (Vert.x flushes when the read completes) when that close discards it. So this handler, between
 * the response encoder and Vert.x, writes the 400 itself before passing the failure on, holds
 * Vert.x's close until the 400 is written (a close drops what the socket has not taken yet: a full
 * send buffer behind earlier answers), and drops whatever the request chain writes afterwards (its
 * own 400 or a relayed answer), so nothing follows the 400 on the wire. The request chain still
 * gets the failure and ends its exchange as it did before (a backend request already under way is
 * reset: CutRequestBodyTest).
 *
 * <p>A 400 is only possible while no byte of this request's response has been written: once the
 * backend's answer has started (a status line and headers on the wire), a 400 cannot follow it, and
 * the connection closes mid-answer as before, which the client sees as a cut response. Nor while an
 * earlier pipelined request's response is still being written: Vert.x closes the connection on the
 * failure, which cuts that response too (holding the failure back until it is whole would allow a
 * 400 after it; pipelining clients are rare enough that this is not done). It is also not the
 * stage's own gateway response (an owner's override of {@code BAD_REQUEST_BODY}): the request chain
 * may not have reached the stage yet, and must not decide after the connection has already been
 * closed; the answer is the default, as for the decoder's other refusals ({@link GatewayVerticle}).
 */
final class BrokenBodyAnswer extends ChannelDuplexHandler {
  /** Vert.x 5's name for its HTTP/1.x response encoder in a connection's pipeline. */
  static final String ENCODER = "httpEncoder";

  /** Vert.x 5's name for its h2c upgrade handler, present until the first request's head passed. */
  static final String H2C_UPGRADE = "h2c";

  static final String NAME = "turnpikeBrokenBodyAnswer";

  private static final byte[] BODY =
      new JsonObject()
          .put("message", GatewayResponseType.BAD_REQUEST_BODY.defaultMessage())
          .encode()
          .getBytes(StandardCharsets.UTF_8);

  /** Request heads read on this connection. */
  private long requests;

  /** Responses written whole (their last part passed here). */
  private long responses;

  /** A response's head has passed here, its last part not yet. */
  private boolean responding;

  /** The 400, once written: from then on nothing else may go out. */
  private ChannelFuture answer;

  /**
   * Puts the handler after the response encoder of an HTTP/1.x connection (nothing for others), so
   * it sees Vert.x's responses before they are encoded and writes its own straight to the encoder.
   * A connection Vert.x announces from its h2c upgrade handler is already past its first head.
   */
  static void install(ChannelPipeline pipeline) {
    if (pipeline.get(ENCODER) == null || pipeline.get(BrokenBodyAnswer.class) != null) {
      return;
    }
    BrokenBodyAnswer handler = new BrokenBodyAnswer();
    if (pipeline.get(H2C_UPGRADE) != null) {
      handler.requests = 1;
    }
    pipeline.addAfter(ENCODER, NAME, handler);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    // A request head the decoder refused is a request too (Vert.x's invalid request handler
    // answers it): only a body's failure is this handler's.
    if (msg instanceof HttpRequest) {
      requests++;
    } else if (msg instanceof HttpContent content
        && content.decoderResult().isFailure()
        && answer == null
        && nothingWrittenForThisRequest()) {
      answer = ctx.writeAndFlush(badRequest());
      answer.addListener(ChannelFutureListener.CLOSE);
    }
    ctx.fireChannelRead(msg);
  }

  /** Every earlier request's response is whole and this request's has not begun. */
  private boolean nothingWrittenForThisRequest() {
    return !responding && responses == requests - 1;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (answer != null) {
      if (msg instanceof HttpObject || (msg instanceof ByteBuf bytes && bytes.isReadable())) {
        ReferenceCountUtil.release(msg);
        if (!promise.isVoid()) {
          promise.tryFailure(new IllegalStateException("the request was answered with a 400"));
        }
        return;
      }
    } else if (msg instanceof HttpResponse head
        && head.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      responding = true;
    }
    if (responding && msg instanceof LastHttpContent) {
      responding = false;
      responses++;
    }
    ctx.write(msg, promise);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
    if (answer != null && !answer.isDone()) {
      answer.addListener(written -> ctx.close(promise));
      return;
    }
    ctx.close(promise);
  }

  private static FullHttpResponse badRequest() {
    GatewayResponseType type = GatewayResponseType.BAD_REQUEST_BODY;
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(type.defaultStatus()),
            Unpooled.wrappedBuffer(BODY));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .set(HttpHeaderNames.CONTENT_LENGTH, BODY.length)
        .set("x-amzn-ErrorType", type.errorType())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return response;
  }
}
