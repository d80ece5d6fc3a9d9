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

  /** Routes a WebSocket API may have at most (API Gateway's default quota is 300). */
  public static final int MAX_ROUTES = 300;

  /** The largest route throttle rate accepted, as for a stage's throttles. */
  public static final double MAX_THROTTLE_RATE = 1_000_000_000;

  private static final java.util.regex.Pattern SELECTION =
      java.util.regex.Pattern.compile("\\$\\{?request\\.body(\\.[A-Za-z0-9_\\-]{1,128}){1,16}}?");

  private static final java.util.regex.Pattern ROUTE_KEY =
      java.util.regex.Pattern.compile("\\$?[A-Za-z0-9_\\-:.]{1,127}");

  /**
   * What a gateway node could not serve as asked, each with the JSON pointer it is at: the rules
   * the control plane holds an owner's definition to, the same the gateway compiles it by.
   */
  public List<String> problems() {
    List<String> problems = new java.util.ArrayList<>();
    if (!SELECTION.matcher(routeSelectionExpression).matches()) {
      problems.add(
          "/routeSelectionExpression must be $request.body.<field>[.<field>...], was "
              + routeSelectionExpression);
    }
    if (routes.size() > MAX_ROUTES) {
      problems.add("/routes may hold at most " + MAX_ROUTES + " routes");
    }
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (int i = 0; i < routes.size(); i++) {
      WebSocketRouteConfig route = routes.get(i);
      String at = "/routes/" + i;
      if (route == null
          || route.routeKey() == null
          || !ROUTE_KEY.matcher(route.routeKey()).matches()) {
        problems.add(
            at
                + "/routeKey must be 1 to 128 letters, digits, _-:. (a leading $ for $connect,"
                + " $disconnect or $default)");
        continue;
      }
      String key = route.routeKey();
      if (key.startsWith("$")
          && !List.of(
                  WebSocketRouteConfig.CONNECT,
                  WebSocketRouteConfig.DISCONNECT,
                  WebSocketRouteConfig.DEFAULT)
              .contains(key)) {
        problems.add(
            at + "/routeKey " + key + " is reserved: only $connect, $disconnect and $default");
      }
      if (!keys.add(key)) {
        problems.add(at + "/routeKey " + key + " is defined twice");
      }
      if (!key.equals(WebSocketRouteConfig.CONNECT)
          && (route.apiKeyRequired() || route.authorization() != null)) {
        problems.add(at + " keys and authorizers apply on $connect only, as in API Gateway");
      }
      ThrottleLimit throttle = route.throttle();
      if (throttle != null && key.equals(WebSocketRouteConfig.DISCONNECT)) {
        problems.add(at + "/throttle cannot apply to $disconnect: a disconnect is never refused");
      } else if (throttle != null && throttle.rateLimit() > MAX_THROTTLE_RATE) {
        problems.add(at + "/throttle/rateLimit must be at most " + (long) MAX_THROTTLE_RATE);
      }
      IntegrationConfig integration = route.integration();
      if (integration == null) {
        continue;
      }
      switch (integration.type()) {
        case MOCK -> {
          if (integration.mock() != null
              && (integration.mock().statusCode() < 100 || integration.mock().statusCode() > 599)) {
            problems.add(at + "/integration/mock/statusCode must be 100 to 599");
          }
        }
        case HTTP, HTTP_PROXY -> {
          String uri = integration.uri() == null ? "" : integration.uri();
          String lower = uri.toLowerCase(java.util.Locale.ROOT);
          if (!(lower.startsWith("http://") || lower.startsWith("https://"))
              || uri.contains("${")
              || uri.contains("#")) {
            problems.add(at + "/integration/uri must be a literal http(s) URL");
          }
        }
        case AWS_PROXY -> {
          if (integration.function() == null
              || integration.function().name() == null
              || integration.function().name().isBlank()) {
            problems.add(at + "/integration/function/name names the function to invoke");
          }
        }
        default ->
            problems.add(
                at
                    + "/integration/type must be http, http_proxy, mock or aws_proxy for a"
                    + " WebSocket route");
      }
    }
    return problems;
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
