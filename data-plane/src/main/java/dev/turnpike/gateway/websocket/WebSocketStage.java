package dev.turnpike.gateway.websocket;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.config.WebSocketApiConfig;
import dev.turnpike.contracts.config.WebSocketRouteConfig;
import dev.turnpike.gateway.integration.Integration;
import dev.turnpike.gateway.integration.IntegrationOwner;
import dev.turnpike.gateway.integration.impl.IntegrationFactory;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.throttle.GcraLimiter;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deployed WebSocket API stage's routes, compiled once per deployment: the route selection
 * expression and each route's integration. A connection keeps the stage it connected to, so a
 * redeploy changes the routes of connections made after it.
 */
public final class WebSocketStage {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketStage.class);

  /**
   * One route.
   *
   * @param integration null for a route without a backend, or one that could not be built ({@code
   *     broken}: its messages answer an error, never silently nothing)
   * @param throttle the route's own message throttle, shared by all the stage's connections on this
   *     node (its share of the cluster's); null for none
   */
  public record Route(
      String routeKey,
      MessageIntegration integration,
      boolean twoWay,
      boolean broken,
      GcraLimiter throttle) {

    /** Whether the route's throttle lets one more message through now. */
    boolean admits(long nowNanos) {
      return throttle == null || throttle.tryAcquire("", nowNanos);
    }
  }

  /**
   * Where a route's throttle comes from: the node's limiter registry, which keeps buckets across
   * config swaps and divides the limit among the nodes.
   */
  @FunctionalInterface
  public interface RouteThrottles {
    RouteThrottles NONE = (routeKey, limit) -> null;

    /** The limiter for {@code routeKey} under {@code limit}; null when {@code limit} is null. */
    GcraLimiter limiter(String routeKey, ThrottleLimit limit);
  }

  /**
   * The handshake route's integration, which the request chain hands over to the {@link
   * WebSocketGateway} before calling it: reached only on a node without one, where it refuses.
   */
  public static final Integration HANDSHAKE_ONLY =
      call -> Future.failedFuture(new GatewayFailure(GatewayResponseType.API_CONFIGURATION_ERROR));

  /** Where a stage's {@code @connections} API is, below the stage. */
  public static final String CALLBACK_PATH = "/@connections/{connectionId}";

  private final DeploymentSnapshot deployment;
  private final RouteSelection selection;
  private final Map<String, Route> routes;

  private WebSocketStage(
      DeploymentSnapshot deployment, RouteSelection selection, Map<String, Route> routes) {
    this.deployment = deployment;
    this.selection = selection;
    this.routes = routes;
  }

  /**
   * @throws IllegalArgumentException when the route selection expression cannot be served (the
   *     stage is refused: guessing a route would send messages where the owner did not mean)
   */
  public static WebSocketStage compile(
      DeploymentSnapshot deployment,
      IntegrationFactory integrations,
      WebSocketSettings settings,
      RouteThrottles throttles) {
    WebSocketApiConfig config = deployment.webSocket();
    RouteSelection selection =
        RouteSelection.compile(config.routeSelectionExpression(), settings.maxSelectionTokens());
    Map<String, Route> routes = new HashMap<>();
    for (WebSocketRouteConfig route : config.routes()) {
      routes.put(
          route.routeKey(),
          routeOf(
              deployment,
              route,
              integrations,
              settings,
              throttles.limiter(route.routeKey(), route.throttle())));
    }
    return new WebSocketStage(deployment, selection, Map.copyOf(routes));
  }

  private static Route routeOf(
      DeploymentSnapshot deployment,
      WebSocketRouteConfig route,
      IntegrationFactory integrations,
      WebSocketSettings settings,
      GcraLimiter throttle) {
    IntegrationConfig config = route.integration();
    if (config == null) {
      return new Route(route.routeKey(), null, false, false, throttle);
    }
    try {
      MessageIntegration integration =
          config.type() == IntegrationType.MOCK
              ? new MockMessageIntegration(config.mock())
              : new EndpointMessageIntegration(
                  integrations.messageEndpoint(
                      new IntegrationOwner(
                          deployment.tenantId(),
                          deployment.tenantSlug(),
                          deployment.apiSlug(),
                          deployment.stage(),
                          route.routeKey()),
                      config,
                      settings.maxMessageBytes()),
                  config.type() == IntegrationType.AWS_PROXY);
      return new Route(route.routeKey(), integration, route.twoWay(), false, throttle);
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "WebSocket route {} of deployment {} answers errors until fixed: {}",
          route.routeKey(),
          deployment.deploymentId(),
          e.getMessage());
      return new Route(route.routeKey(), null, route.twoWay(), true, throttle);
    }
  }

  public DeploymentSnapshot deployment() {
    return deployment;
  }

  /** The route {@code $connect}, or null when the API has none (connections are let in). */
  public Route connect() {
    return routes.get(WebSocketRouteConfig.CONNECT);
  }

  public Route disconnect() {
    return routes.get(WebSocketRouteConfig.DISCONNECT);
  }

  /**
   * The route a message takes: the one its selection names, else {@code $default}; null when
   * neither exists. A binary message has no JSON to select by and takes {@code $default}.
   */
  public Route routeFor(String textMessage) {
    if (textMessage != null) {
      String key = selection.select(textMessage);
      if (key != null && !key.startsWith("$")) {
        Route route = routes.get(key);
        if (route != null) {
          return route;
        }
      }
    }
    return routes.get(WebSocketRouteConfig.DEFAULT);
  }
}
