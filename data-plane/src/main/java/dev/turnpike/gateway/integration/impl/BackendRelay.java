package dev.turnpike.gateway.integration.impl;

import dev.turnpike.gateway.integration.BodyTap;
import dev.turnpike.gateway.integration.HopByHopHeaders;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.integration.IntegrationResult;
import dev.turnpike.gateway.integration.RequestBodies;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.upstream.UpstreamCall;
import dev.turnpike.gateway.upstream.UpstreamConnectFailure;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.Pipe;
import io.vertx.core.streams.ReadStream;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Sends one backend request, to the server the egress policy admitted, and streams its response to
 * the client: the part the proxy and the mapped HTTP integration share. Failures before the
 * response starts become gateway failures (504 for a timeout, 504 "Network error" for a connection
 * problem, 413 for an oversized body); after it starts, the client stream is reset. A bodiless
 * idempotent request whose pooled connection was closed under it is sent once more (through an
 * upstream, to another target: {@link UpstreamCall} picks, admits and retries).
 */
public final class BackendRelay {
  private BackendRelay() {}

  static Future<IntegrationResult> relay(
      Backend backend,
      RequestOptions options,
      IntegrationCall call,
      boolean forwardBody,
      Consumer<MultiMap> headers) {
    // Callbacks rather than a chain of recover/compose: one promise per request instead of a
    // future and a composition per step, on the hottest path of the gateway.
    if (backend.upstream() != null) {
      return UpstreamCall.dispatch(
          backend.upstream(),
          options,
          call.log(),
          (admitted, report) -> {
            Promise<IntegrationResult> attempt = Promise.promise();
            exchange(
                backend.client(),
                backend.toUpstreamTarget(admitted),
                call,
                forwardBody,
                headers,
                attempt,
                true,
                report);
            return attempt.future();
          });
    }
    Promise<IntegrationResult> done = Promise.promise();
    SocketAddress server = backend.target().fixedServer();
    if (server != null) {
      exchange(
          backend.client(),
          backend.connectTo(options, server),
          call,
          forwardBody,
          headers,
          done,
          true,
          null);
    } else {
      backend
          .target()
          .admit(options, call.log())
          .onComplete(
              (admitted, refusal) -> {
                if (refusal != null) {
                  done.fail(refusal);
                } else {
                  exchange(
                      backend.client(),
                      backend.connectTo(options, admitted),
                      call,
                      forwardBody,
                      headers,
                      done,
                      true,
                      null);
                }
              });
    }
    return done.future();
  }

  private static void exchange(
      HttpClient client,
      RequestOptions options,
      IntegrationCall call,
      boolean forwardBody,
      Consumer<MultiMap> headers,
      Promise<IntegrationResult> done,
      boolean mayRepeat,
      UpstreamCall.Report report) {
    client
        .request(options)
        .onComplete(
            (out, connectError) -> {
              if (connectError != null) {
                // Through an upstream, nothing was sent: the call may try another target.
                done.fail(
                    report == null
                        ? connectFailure(connectError)
                        : new UpstreamConnectFailure(connectError));
                return;
              }
              try {
                send(out, call, forwardBody, headers)
                    .onComplete(
                        (response, sendError) -> {
                          if (sendError != null) {
                            if (report != null && repeatable(sendError, call, forwardBody)) {
                              // Another target rather than another pooled connection to this
                              // one: a target going away closes all its connections at once.
                              done.fail(new UpstreamConnectFailure(sendError));
                            } else if (mayRepeat && repeatable(sendError, call, forwardBody)) {
                              exchange(
                                  client, options, call, forwardBody, headers, done, false, report);
                            } else {
                              done.fail(exchangeFailure(sendError));
                            }
                            return;
                          }
                          if (report != null) {
                            report.responded(response.statusCode());
                          }
                          if (call.tap().observesEndpoint()) {
                            call.tap().endpointResponse(response.statusCode(), response.headers());
                          }
                          try {
                            stream(response, call.request().response(), call.tap(), done);
                          } catch (RuntimeException e) {
                            done.tryFail(e);
                          }
                        });
              } catch (RuntimeException e) {
                done.tryFail(e);
              }
            });
  }

  private static Future<HttpClientResponse> send(
      HttpClientRequest out,
      IntegrationCall call,
      boolean forwardBody,
      Consumer<MultiMap> headers) {
    HttpServerRequest in = call.request();
    headers.accept(out.headers());
    call.putTraceHeaders(out.headers());
    if (call.tap().observesEndpoint()) {
      call.tap().endpointRequest(out.getMethod().name(), out.absoluteURI(), out.headers());
    }
    if (forwardBody && RequestBodies.hasBody(in)) {
      if (in.getHeader("content-length") == null) {
        out.setChunked(true);
      }
      return stream(call.body(), out, in);
    }
    return out.send();
  }

  /**
   * Streams the client's body into {@code out}. Not {@code out.send(body)}: its pipe ends the
   * backend request when the body fails (past the size limit, the client gone mid-body, a broken
   * chunk), and for a chunked body that writes the last chunk, so the backend gets a cut body as a
   * whole request and may act on it (and the client, past the limit, got the backend's answer
   * instead of 413); with a Content-Length the backend waited for bytes that never came until the
   * idle timeout. Here a failed body resets the backend request instead: on HTTP/1.1 the connection
   * closes mid-request, which no backend takes as a request. The exchange then fails with why the
   * body did, the client's doing: 413 past the limit, else 400 ("Request body incomplete" when the
   * client went away, as for a body that stalls: {@code GatewayRequestHandler.blameStalledBody}). A
   * failed write to the backend is the backend's: the pipe reports it, and the exchange fails as
   * the backend's request does.
   */
  private static Future<HttpClientResponse> stream(
      ReadStream<Buffer> body, HttpClientRequest out, HttpServerRequest in) {
    // The failure reaches the exchange through the response; without a handler of its own the
    // request would log each reset as an error. Set first: Vert.x refuses it once the request has
    // ended, which the pipe may do at once (a body already read whole).
    out.exceptionHandler(ignored -> {});
    Throwable[] bodyFailure = new Throwable[1];
    Pipe<Buffer> pipe = body.pipe().endOnFailure(false);
    // Takes over the handler the pipe set on the body, so a failed body is told apart from a
    // failed write; the pipe still ends the request when the body ends, and reports failed writes.
    body.exceptionHandler(
        error -> {
          bodyFailure[0] = error;
          out.reset(0, error);
        });
    pipe.to(out).onFailure(error -> out.reset(0, error));
    return out.response()
        .recover(
            error -> {
              Throwable why = bodyFailure[0];
              if (why == null) {
                return Future.failedFuture(error);
              }
              if (why instanceof GatewayFailure) {
                return Future.failedFuture(why);
              }
              return Future.failedFuture(
                  in.response().closed()
                      ? new GatewayFailure(
                          GatewayResponseType.BAD_REQUEST_BODY, "Request body incomplete")
                      : new GatewayFailure(GatewayResponseType.BAD_REQUEST_BODY));
            });
  }

  /**
   * Whether a failed exchange may be sent once more: the connection closed before any answer (a
   * pooled connection the backend closed as the request went out, its keep-alive timeout racing the
   * pool), the method is idempotent and no body was read from the client, so repeating it can
   * neither act twice nor lose bytes. nginx's {@code proxy_next_upstream error} draws the same
   * line.
   */
  private static boolean repeatable(Throwable error, IntegrationCall call, boolean forwardBody) {
    HttpServerRequest in = call.request();
    return error instanceof HttpClosedException
        && IDEMPOTENT.contains(in.method())
        && !(forwardBody && RequestBodies.hasBody(in));
  }

  private static final Set<HttpMethod> IDEMPOTENT =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.OPTIONS,
          HttpMethod.TRACE,
          HttpMethod.PUT,
          HttpMethod.DELETE);

  private static void stream(
      HttpClientResponse response,
      HttpServerResponse out,
      BodyTap tap,
      Promise<IntegrationResult> done) {
    out.setStatusCode(response.statusCode());
    HopByHopHeaders.copyEndToEnd(response.headers(), out.headers());
    if (response.getHeader("content-length") == null && response.version() != HttpVersion.HTTP_2) {
      out.setChunked(true);
    }
    ResponseRelay.relay(response, out, tap, done);
  }

  private static GatewayFailure connectFailure(Throwable error) {
    return error instanceof GatewayFailure failure
        ? failure
        : new GatewayFailure(GatewayResponseType.INTEGRATION_FAILURE);
  }

  private static GatewayFailure exchangeFailure(Throwable error) {
    if (error instanceof GatewayFailure failure) {
      return failure;
    }
    if (error instanceof TimeoutException) {
      return new GatewayFailure(GatewayResponseType.INTEGRATION_TIMEOUT);
    }
    return new GatewayFailure(GatewayResponseType.INTEGRATION_FAILURE);
  }
}
