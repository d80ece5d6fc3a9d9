package dev.turnpike.gateway.integration.impl;

import dev.turnpike.gateway.integration.BodyTap;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.template.BackendReply;
import dev.turnpike.gateway.upstream.UpstreamCall;
import dev.turnpike.gateway.upstream.UpstreamConnectFailure;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Set;
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
    if (backend.upstream() != null) {
      return UpstreamCall.dispatch(
              backend.upstream(),
              options,
              call.log(),
              (admitted, report) ->
                  exchange(
                          backend,
                          backend.toUpstreamTarget(admitted),
                          body,
                          headers,
                          call.tap(),
                          true,
                          true)
                      .onSuccess(response -> report.responded(response.statusCode())))
          .compose(response -> read(response, call.tap(), maxBytes));
    }
    return backend
        .admit(options, call.log())
        .compose(
            server ->
                exchange(
                    backend,
                    backend.connectTo(options, server),
                    body,
                    headers,
                    call.tap(),
                    true,
                    false))
        .compose(response -> read(response, call.tap(), maxBytes));
  }

  /**
   * A pooled connection the backend closed as the request went out is tried once more for an
   * idempotent method: the body is held whole, so repeating it loses nothing (as the streaming
   * relay repeats only bodiless requests, which it cannot replay).
   */
  private static Future<HttpClientResponse> exchange(
      Backend backend,
      RequestOptions options,
      Buffer body,
      MultiMap headers,
      BodyTap tap,
      boolean mayRepeat,
      boolean throughUpstream) {
    return backend
        .client()
        .request(options)
        .recover(
            error ->
                Future.failedFuture(
                    throughUpstream ? new UpstreamConnectFailure(error) : failure(error)))
        .compose(
            out -> {
              out.headers().addAll(headers);
              if (tap.observesEndpoint()) {
                tap.endpointRequest(out.getMethod().name(), out.absoluteURI(), out.headers());
              }
              Future<HttpClientResponse> sent = body.length() == 0 ? out.send() : out.send(body);
              return sent.recover(
                  error ->
                      mayRepeat
                              && error instanceof HttpClosedException
                              && IDEMPOTENT.contains(options.getMethod())
                          ? exchange(backend, options, body, headers, tap, false, throughUpstream)
                          : Future.failedFuture(failure(error)));
            });
  }

  private static final Set<HttpMethod> IDEMPOTENT =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.OPTIONS,
          HttpMethod.TRACE,
          HttpMethod.PUT,
          HttpMethod.DELETE);

  private static Future<BackendReply> read(
      HttpClientResponse response, BodyTap tap, long maxBytes) {
    if (tap.observesEndpoint()) {
      tap.endpointResponse(response.statusCode(), response.headers());
    }
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
