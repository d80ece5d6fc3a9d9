package dev.turnpike.controlplane.websocket;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.RouteAuthorization;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.config.WebSocketRouteConfig;
import java.util.Map;

/**
 * One route in Turnpike's WebSocket export format: what an owner states and an export writes,
 * absent fields left out (and read as their defaults).
 *
 * @param throttle the route's message throttle ({@code rateLimit}, {@code burstLimit}), all
 *     connections of a stage together; null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebSocketRouteSpec(
    String routeKey,
    Boolean apiKeyRequired,
    RouteAuthorization authorization,
    IntegrationSpec integration,
    Boolean twoWay,
    ThrottleLimit throttle) {

  /**
   * A route's integration.
   *
   * @param type {@code http}, {@code http_proxy}, {@code mock} or {@code aws_proxy}
   * @param uri for http and http_proxy: the literal URL messages are POSTed to
   * @param function for aws_proxy: the registered function, by name
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IntegrationSpec(
      IntegrationType type,
      String uri,
      Integer connectTimeoutMillis,
      Integer timeoutMillis,
      MockResponse mock,
      FunctionSpec function) {}

  /** A registered function and the payload format it takes ({@code 1.0} unless said). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FunctionSpec(String name, String payloadFormatVersion) {}

  WebSocketRouteConfig toConfig() {
    return new WebSocketRouteConfig(
        routeKey, apiKeyRequired, authorization, integrationConfig(integration), twoWay, throttle);
  }

  private static IntegrationConfig integrationConfig(IntegrationSpec spec) {
    if (spec == null) {
      return null;
    }
    int connect = spec.connectTimeoutMillis() == null ? 0 : spec.connectTimeoutMillis();
    int timeout = spec.timeoutMillis() == null ? 0 : spec.timeoutMillis();
    if (spec.type() == IntegrationType.AWS_PROXY) {
      FunctionSpec function = spec.function();
      return IntegrationConfig.awsProxy(
          null,
          connect,
          timeout,
          function == null
              ? null
              : new FunctionTarget(
                  function.name(),
                  null,
                  0,
                  function.payloadFormatVersion() == null
                      ? FunctionTarget.PAYLOAD_1_0
                      : function.payloadFormatVersion()));
    }
    return new IntegrationConfig(
        spec.type(),
        spec.type() == IntegrationType.MOCK ? null : "POST",
        spec.uri(),
        connect,
        timeout,
        Map.of(),
        spec.mock());
  }

  static WebSocketRouteSpec of(WebSocketRouteConfig route) {
    IntegrationConfig integration = route.integration();
    IntegrationSpec spec =
        integration == null
            ? null
            : new IntegrationSpec(
                integration.type(),
                integration.uri(),
                integration.connectTimeoutMillis() == 0 ? null : integration.connectTimeoutMillis(),
                integration.timeoutMillis() == 0 ? null : integration.timeoutMillis(),
                integration.mock(),
                integration.function() == null
                    ? null
                    : new FunctionSpec(
                        integration.function().name(),
                        integration.function().payloadFormatVersion()));
    return new WebSocketRouteSpec(
        route.routeKey(),
        route.apiKeyRequired() ? Boolean.TRUE : null,
        route.authorization(),
        spec,
        route.twoWay() ? Boolean.TRUE : null,
        route.throttle());
  }
}
