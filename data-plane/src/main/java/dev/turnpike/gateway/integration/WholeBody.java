package dev.turnpike.gateway.integration;

import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * A request body read whole, for integrations that must see all of it (templates, functions): at
 * most {@code maxBytes}, a larger one fails with 413 as soon as it grows past the limit.
 */
public final class WholeBody {
  private WholeBody() {}

  /** The body; empty for a request that ended with its head. */
  public static Future<Buffer> read(IntegrationCall call, long maxBytes) {
    return read(call.request(), call.body(), maxBytes);
  }

  /** The body {@code stream} of {@code request}; empty for a request that ended with its head. */
  public static Future<Buffer> read(
      HttpServerRequest request, ReadStream<Buffer> stream, long maxBytes) {
    if (stream instanceof CountingReadStream && request.isEnded()) {
      return Future.succeededFuture(Buffer.buffer());
    }
    CountingReadStream bounded = new CountingReadStream(stream, maxBytes);
    Promise<Buffer> read = Promise.promise();
    Buffer collected = Buffer.buffer();
    bounded.exceptionHandler(
        error ->
            read.tryFail(
                error instanceof GatewayFailure
                    ? error
                    : new GatewayFailure(GatewayResponseType.BAD_REQUEST_BODY)));
    bounded.handler(collected::appendBuffer);
    bounded.endHandler(ignored -> read.tryComplete(collected));
    bounded.resume();
    return read.future();
  }
}
