package dev.turnpike.gateway.http;

import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.listener.ListenerGuard;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * One gateway listener on one event loop; the node deploys one instance per event loop and Vert.x
 * spreads connections across them on the shared port. Every instance shares the node's one {@link
 * ListenerGuard}, so slow clients are cut off and the connection cap holds across all of them. A
 * request whose chunked body the decoder cannot read gets a 400 from {@link BrokenBodyAnswer} on
 * each HTTP/1.x connection, as a request whose head it cannot read gets one here.
 */
public final class GatewayVerticle extends VerticleBase {
  private final HttpServerOptions options;
  private final Handler<HttpServerRequest> handler;
  private final ListenerGuard guard;
  private HttpServer server;

  public GatewayVerticle(
      HttpServerOptions options, Handler<HttpServerRequest> handler, ListenerGuard guard) {
    this.options = options;
    this.handler = handler;
    this.guard = guard;
  }

  @Override
  public Future<?> start() {
    server =
        guard
            .createServer(vertx, options, BrokenBodyAnswer::install)
            .requestHandler(handler)
            .invalidRequestHandler(GatewayVerticle::rejectInvalid);
    return server.listen();
  }

  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Requests the HTTP decoder refused: an oversized request line (414), oversized headers (431) or
   * malformed HTTP (400), answered in API Gateway's error shape.
   */
  private static void rejectInvalid(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    GatewayResponseType type;
    if (cause instanceof TooLongHttpLineException) {
      type = GatewayResponseType.URI_TOO_LONG;
    } else if (cause instanceof TooLongHttpHeaderException) {
      type = GatewayResponseType.HEADERS_TOO_LARGE;
    } else {
      type = GatewayResponseType.BAD_REQUEST_PARAMETERS;
    }
    request
        .response()
        .setStatusCode(type.defaultStatus())
        .putHeader("content-type", "application/json")
        .putHeader("x-amzn-ErrorType", type.errorType())
        .putHeader("connection", "close")
        // The listener may compress; the decoder's own refusals never are.
        .putHeader("content-encoding", "identity")
        .end(Buffer.buffer(new JsonObject().put("message", type.defaultMessage()).encode()))
        .onComplete(ignored -> request.connection().close());
  }
}
