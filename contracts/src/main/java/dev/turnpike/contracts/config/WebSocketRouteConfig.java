package dev.turnpike.contracts.config;

/**
 * One route of a WebSocket API, as API Gateway's {@code AWS::ApiGatewayV2::Route} of such an API.
 *
 * @param routeKey {@code $connect}, {@code $disconnect}, {@code $default} or a custom key that the
 *     route selection expression yields (e.g. {@code sendMessage})
 * @param apiKeyRequired for {@code $connect} only: the handshake must present a key in a usage plan
 *     of the stage (as API Gateway checks keys only on {@code $connect})
 * @param authorization for {@code $connect} only: the authorizer the handshake must pass; null for
 *     none
 * @param integration what the route invokes: {@code http} / {@code http_proxy} (the message POSTed
 *     to a literal URL), {@code mock} or {@code aws_proxy} (a function, with API Gateway's
 *     WebSocket event); null for a route that only exists to be matched ({@code $connect} without a
 *     backend)
 * @param twoWay whether the integration's answer is sent back to the client (a route response, API
 *     Gateway's {@code routeResponseSelectionExpression} of {@code $default}); ignored for {@code
 *     $connect} and {@code $disconnect}
 * @param throttle the route's own message throttle (API Gateway's route-level throttling on a
 *     WebSocket stage): all of the stage's connections together, across the nodes as a stage's
 *     method throttle; on {@code $connect} it counts handshakes. Null for none.
 */
public record WebSocketRouteConfig(
    String routeKey,
    Boolean apiKeyRequired,
    RouteAuthorization authorization,
    IntegrationConfig integration,
    Boolean twoWay,
    ThrottleLimit throttle) {
  // Boxed so a definition may leave them out (false), as an export of one without them does.
  public WebSocketRouteConfig {
    apiKeyRequired = Boolean.TRUE.equals(apiKeyRequired);
    twoWay = Boolean.TRUE.equals(twoWay);
  }

  /** A route without a throttle of its own. */
  public WebSocketRouteConfig(
      String routeKey,
      Boolean apiKeyRequired,
      RouteAuthorization authorization,
      IntegrationConfig integration,
      Boolean twoWay) {
    this(routeKey, apiKeyRequired, authorization, integration, twoWay, null);
  }

  public static final String CONNECT = "$connect";
  public static final String DISCONNECT = "$disconnect";
  public static final String DEFAULT = "$default";

  /** The longest route key accepted, as API Gateway's limit. */
  public static final int MAX_ROUTE_KEY_LENGTH = 128;
}
