package dev.turnpike.gateway.integration.impl;

import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.template.BackendReply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeoutException;

/**
 * One backend request whose body and answer are held whole, for integrations that map them
 * (templates, integration responses): sent to the server the egress policy admitted, the answer
 * read up to {@code maxBytes} (a larger one is the endpoint's failure, 502 as API Gateway's "body
 * too large"). Failures are the relay's: 504 for a timeout, 504 "Network error" otherwise.
 */
final class WholeExchange {
  private WholeExchange() {}

  static Future<BackendReply> send(
      Backend backend,
      RequestOptions options,
      IntegrationCall call,
      Buffer body,
      MultiMap headers,
      long maxBytes) {
    return backend
        .admit(options, call.log())
        .compose(
            server ->
                backend
                    .client()
                    .request(options.setServer(server))
                    .recover(error -> Future.failedFuture(failure(error))))
        .compose(
            out -> {
              out.headers().addAll(headers);
              Future<HttpClientResponse> sent = body.length() == 0 ? out.send() : out.send(body);
              return sent.recover(error -> Future.failedFuture(failure(error)));
            })
        .compose(response -> read(response, maxBytes));
  }

  private static Future<BackendReply> read(HttpClientResponse response, long maxBytes) {
    Promise<BackendReply> done = Promise.promise();
    Buffer collected = Buffer.buffer();
    response.exceptionHandler(error -> done.tryFail(failure(error)));
    response.handler(
        chunk -> {
          if (collected.length() + (long) chunk.length() > maxBytes) {
            response.request().reset();
            done.tryFail(new GatewayFailure(GatewayResponseType.FUNCTION_FAILURE));
            return;
          }
          collected.appendBuffer(chunk);
        });
    response.endHandler(
        ignored ->
            done.tryComplete(
                new BackendReply(response.statusCode(), response.headers(), collected)));
    return done.future();
  }

  private static GatewayFailure failure(Throwable error) {
    if (error instanceof GatewayFailure failure) {
      return failure;
    }
    if (error instanceof TimeoutException) {
      return new GatewayFailure(GatewayResponseType.INTEGRATION_TIMEOUT);
    }
    return new GatewayFailure(GatewayResponseType.INTEGRATION_FAILURE);
  }
}
