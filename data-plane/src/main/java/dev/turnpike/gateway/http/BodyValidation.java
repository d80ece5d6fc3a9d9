package dev.turnpike.gateway.http;

import dev.turnpike.gateway.integration.CountingReadStream;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.validation.RequestCheck;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Step 6's body check, for a route that validates its body: the body is read whole (bounded by the
 * validated-body limit, as only these bodies are held in memory) and checked against the route's
 * schema; the integration then gets the same bytes. Other routes stream their bodies untouched.
 */
final class BodyValidation {
  private BodyValidation() {}

  /** The body once it passed, or a {@link GatewayFailure} to answer with. */
  static Future<Buffer> read(Exchange exchange, RequestCheck check, long maxBytes) {
    HttpServerRequest request = exchange.request;
    if (request.isEnded()) {
      // The request ended with its head: there is no body to satisfy the schema.
      return Future.failedFuture(new GatewayFailure(GatewayResponseType.BAD_REQUEST_BODY));
    }
    if (exchange.bytesIn > maxBytes) {
      return Future.failedFuture(new GatewayFailure(GatewayResponseType.REQUEST_TOO_LARGE));
    }
    Promise<Buffer> checked = Promise.promise();
    CountingReadStream counted = new CountingReadStream(request, maxBytes);
    Buffer collected = Buffer.buffer();
    counted.exceptionHandler(
        error ->
            checked.tryFail(
                error instanceof GatewayFailure failure
                    ? failure
                    : new GatewayFailure(GatewayResponseType.BAD_REQUEST_BODY)));
    counted.handler(collected::appendBuffer);
    counted.endHandler(
        end -> {
          exchange.bytesIn = Math.max(exchange.bytesIn, counted.bytes());
          check(check, collected)
              .onComplete(
                  (body, error) -> {
                    if (error == null) {
                      checked.tryComplete(body);
                    } else {
                      checked.tryFail(error);
                    }
                  });
        });
    exchange.bodyPaused = false;
    request.resume();
    return checked.future();
  }

  /** {@code body} once it passed {@code check}, or a {@link GatewayFailure} to answer with. */
  static Future<Buffer> check(RequestCheck check, Buffer body) {
    return verdict(check, body)
        .compose(
            verdict ->
                switch (verdict) {
                  case ACCEPTED -> Future.succeededFuture(body);
                  case TOO_COSTLY ->
                      Future.failedFuture(
                          new GatewayFailure(GatewayResponseType.REQUEST_TOO_LARGE));
                  default ->
                      Future.failedFuture(new GatewayFailure(GatewayResponseType.BAD_REQUEST_BODY));
                });
  }

  /**
   * A small body against a schema without patterns is checked here; anything else on a worker
   * thread, so no body and no pattern holds up the other connections of this event loop.
   */
  private static Future<RequestCheck.Verdict> verdict(RequestCheck check, Buffer body) {
    if (check.checksCheaply(body.length())) {
      return Future.succeededFuture(check.checkBody(body));
    }
    return Vertx.currentContext().executeBlocking(() -> check.checkBody(body), false);
  }
}
