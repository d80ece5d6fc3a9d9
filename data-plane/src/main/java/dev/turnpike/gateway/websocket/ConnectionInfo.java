package dev.turnpike.gateway.websocket;

import dev.turnpike.gateway.authorizer.Authorization;
import dev.turnpike.logging.LogContext;
import java.util.List;
import java.util.Map;

/**
 * What the gateway learned about a connection on its {@code $connect}, fixed for its life and told
 * to every route's integration.
 *
 * @param connectedAt epoch milliseconds of the handshake
 * @param domainName the host the client connected to
 * @param headers the handshake's headers (sent with {@code $connect} only, as API Gateway does)
 * @param query the handshake's query parameters
 * @param authorization who the {@code $connect} authorizer found the caller to be; null for none
 * @param apiKey the key {@code $connect} admitted the caller with; null when none was required
 * @param canary the connection was admitted by the stage's canary deployment: its messages and
 *     disconnect are metered as the canary's, like its handshake
 * @param callbackToken the stage's {@link CallbackAuth} token, which integrations are given to call
 *     the {@code @connections} API with
 */
public record ConnectionInfo(
    String connectionId,
    String tenantId,
    String apiId,
    String stage,
    long connectedAt,
    String domainName,
    String sourceIp,
    String userAgent,
    Map<String, List<String>> headers,
    Map<String, List<String>> query,
    Map<String, String> stageVariables,
    Authorization authorization,
    String apiKey,
    String apiKeyId,
    String appId,
    String planId,
    LogContext log,
    String callbackToken,
    boolean canary) {
  public ConnectionInfo {
    headers = headers == null ? Map.of() : headers;
    query = query == null ? Map.of() : query;
    stageVariables = stageVariables == null ? Map.of() : stageVariables;
  }
}
