package dev.turnpike.gateway.websocket;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.gateway.integration.WholeBody;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket API's HTTP side once the request chain has admitted the call (its key, plan,
 * authorizer, throttles and quota passed): the handshake, or a call of the stage's
 * {@code @connections} API. The chain meters and logs either as any call; this answers it and says
 * how it ended. A call that fails with a {@link GatewayFailure} has not been answered yet: the
 * chain answers it as any gateway error.
 */
public final class WebSocketHandshake {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketHandshake.class);

  /** How an answered handshake or callback ended, for the chain's metrics, logs and usage. */
  public record Answered(int status, long bytesOut, Outcome outcome) {}

  private final WebSocketGateway webSockets;

  public WebSocketHandshake(WebSocketGateway webSockets) {
    this.webSockets = webSockets;
  }

  /** Whether a WebSocket stage's route is its {@code @connections} API, not its handshake. */
  public static boolean isCallback(String resourcePath) {
    return WebSocketStage.CALLBACK_PATH.equals(resourcePath);
  }

  /**
   * Pauses a handshake the chain has not paused: it is upgraded only once admitted, maybe after an
   * authorizer and a {@code $connect} integration have answered, and paused, the handshake's end is
   * still to come when the upgrade waits for it.
   *
   * @return whether it paused the request (false for a request that cannot be upgraded)
   */
  public static boolean holdUntilAdmitted(HttpServerRequest request) {
    if (!request.canUpgradeToWebSocket()) {
      return false;
    }
    request.pause();
    return true;
  }

  /**
   * An admitted handshake: {@code $connect}'s integration, then the upgrade (101) or its refusal;
   * metered as any call, with the route key {@code $connect}.
   */
  public Future<Answered> connect(ConnectRequest connect) {
    Future<WebSocketGateway.ConnectOutcome> connected;
    try {
      connected = webSockets.connect(connect);
    } catch (RuntimeException e) {
      connected = Future.failedFuture(e);
    }
    return connected.transform(
        result -> {
          if (result.succeeded()) {
            WebSocketGateway.ConnectOutcome outcome = result.result();
            return Future.succeededFuture(
                new Answered(
                    outcome.status(),
                    outcome.bytesOut(),
                    outcome.status() < 400
                        ? Outcome.SERVED
                        : outcome.status() == 429 ? Outcome.THROTTLED : Outcome.FORBIDDEN));
          }
          Throwable error = result.cause();
          HttpServerResponse response = connect.request().response();
          if (error instanceof GatewayFailure failure && !response.headWritten()) {
            return Future.failedFuture(failure);
          }
          connect
              .log()
              .run(
                  () ->
                      LOG.warn(
                          "WebSocket handshake {} failed: {}",
                          connect.requestId(),
                          error.toString()));
          if (!response.ended() && !response.headWritten()) {
            return Future.failedFuture(new GatewayFailure(GatewayResponseType.INTEGRATION_FAILURE));
          }
          return Future.succeededFuture(new Answered(500, 0, Outcome.INTEGRATION_FAILURE));
        });
  }

  /**
   * A call of the stage's {@code @connections} API: a POST's message read whole (bounded by the
   * message limit), then answered by the connection's node.
   *
   * @param body the request's body, paused
   */
  public Future<Answered> callback(
      HttpServerRequest request,
      ReadStream<Buffer> body,
      WebSocketStage stage,
      String connectionId) {
    String method = request.method().name();
    Future<Buffer> message =
        "POST".equals(method)
            ? WholeBody.read(request, body, webSockets.settings().maxMessageBytes())
            : Future.succeededFuture(null);
    String token = presentedToken(request);
    DeploymentSnapshot deployment = stage.deployment();
    return message
        .compose(
            bytes ->
                webSockets
                    .callbacks()
                    .serve(
                        new ConnectionCallbacks.Call(
                            method,
                            connectionId,
                            deployment.tenantId(),
                            deployment.apiId(),
                            deployment.stage(),
                            deployment.tenantSlug(),
                            deployment.apiSlug(),
                            token,
                            request.getHeader(ConnectionCallbacks.FORWARDED_HEADER),
                            bytes)))
        .transform(
            result -> {
              if (result.failed()) {
                return Future.failedFuture(
                    result.cause() instanceof GatewayFailure failure
                        ? failure
                        : new GatewayFailure(GatewayResponseType.INTEGRATION_FAILURE));
              }
              return Future.succeededFuture(answer(request.response(), result.result()));
            });
  }

  /** The callback token, from its own header or as a bearer token; null for none. */
  private static String presentedToken(HttpServerRequest request) {
    String token = request.getHeader(CallbackAuth.TOKEN_HEADER);
    String authorization = request.getHeader("authorization");
    if (token == null && authorization != null && authorization.startsWith("Bearer ")) {
      token = authorization.substring("Bearer ".length()).trim();
    }
    return token;
  }

  private static Answered answer(HttpServerResponse response, ConnectionCallbacks.Answer answer) {
    response.setStatusCode(answer.status());
    if (answer.errorType() != null) {
      response.putHeader("x-amzn-ErrorType", answer.errorType());
    }
    if (answer.body().length() > 0) {
      response.putHeader("content-type", "application/json");
    }
    response.end(answer.body());
    return new Answered(
        answer.status(),
        answer.body().length(),
        answer.status() < 300
            ? Outcome.SERVED
            : answer.status() == 403 ? Outcome.FORBIDDEN : Outcome.BAD_REQUEST);
  }
}
