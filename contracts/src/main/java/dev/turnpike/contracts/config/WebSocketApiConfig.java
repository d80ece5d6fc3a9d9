package dev.turnpike.contracts.config;

import java.util.List;

/**
 * What a deployment of a WebSocket API carries beyond any API's: how a message picks its route, and
 * the routes.
 *
 * @param routeSelectionExpression e.g. {@code $request.body.action}: the JSON field of a message
 *     whose text is the route key; a message without it (or that is no JSON) takes {@code $default}
 * @param routes keyed by {@link WebSocketRouteConfig#routeKey()}, at most one per key
 */
public record WebSocketApiConfig(
    String routeSelectionExpression, List<WebSocketRouteConfig> routes) {
  /** API Gateway's usual expression. */
  public static final String DEFAULT_SELECTION = "$request.body.action";

  public WebSocketApiConfig {
    routeSelectionExpression =
        routeSelectionExpression == null || routeSelectionExpression.isBlank()
            ? DEFAULT_SELECTION
            : routeSelectionExpression;
    routes = routes == null ? List.of() : List.copyOf(routes);
  }

  /** The route with {@code routeKey}, or null. */
  public WebSocketRouteConfig route(String routeKey) {
    for (WebSocketRouteConfig route : routes) {
      if (route.routeKey().equals(routeKey)) {
        return route;
      }
    }
    return null;
  }
}
