package dev.turnpike.gateway.websocket;

import dev.turnpike.gateway.authorizer.Authorization;
import dev.turnpike.logging.LogContext;
import io.vertx.core.http.HttpServerRequest;

/**
 * A handshake the request chain admitted ({@code $connect}'s key, plan, authorizer, throttles and
 * quota passed), with what it learned about the caller.
 *
 * @param request the upgrade request, paused until the handshake is answered
 * @param apiKey the key it was admitted with; null when {@code $connect} requires none
 * @param messages admits each message of the connection against the key's throttles
 * @param canary the stage's canary deployment admitted it
 * @param maxConnectionsPerKey how many connections the key may hold open on this node (its plan's
 *     limit); 0 for none
 */
public record ConnectRequest(
    HttpServerRequest request,
    WebSocketStage stage,
    String requestId,
    long startEpochMillis,
    String sourceIp,
    Authorization authorization,
    String apiKey,
    String apiKeyId,
    String appId,
    String planId,
    LogContext log,
    MessageAdmission messages,
    boolean canary,
    int maxConnectionsPerKey) {

  /** Whether one more message of a connection may go to its route now (a per-key throttle). */
  @FunctionalInterface
  public interface MessageAdmission {
    MessageAdmission ALWAYS = () -> true;

    boolean tryAcquire();
  }

  public String principalId() {
    return authorization == null ? null : authorization.principalId();
  }
}
