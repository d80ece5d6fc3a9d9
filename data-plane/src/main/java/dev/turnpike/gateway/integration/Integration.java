package dev.turnpike.gateway.integration;

import io.vertx.core.Future;

/**
 * The backend of a route. An integration writes the response itself, so bodies can stream. Its
 * future fails with a {@link dev.turnpike.gateway.response.GatewayFailure} only while nothing has
 * been sent to the client yet; once the response has started, a failure resets the stream instead.
 */
public interface Integration {
  Future<IntegrationResult> serve(IntegrationCall call);

  /**
   * Whether serving calls a backend; a mock's answer is the gateway's own, so its access-log {@code
   * $context.integrationLatency} is {@code -}, as API Gateway writes it.
   */
  default boolean callsBackend() {
    return true;
  }
}
