package dev.turnpike.gateway.observability;

import dev.turnpike.settings.SettingsReader;

/**
 * How many routes get meters of their own (API Gateway's per-method metrics), so that a tenant with
 * 10,000 routes cannot blow up the node's Prometheus series: past either bound a route's requests
 * are counted under the route label {@value RouteMeterBudget#OTHER} of its stage.
 *
 * @param routesPerStage routes of one stage with a label of their own, in the deployment's route
 *     order; 0 counts every route of every stage as {@code other}
 * @param routesPerNode distinct stage routes with a label of their own on this node, ever (a route
 *     renamed by a redeploy keeps its series, which Prometheus holds anyway until they age out)
 */
public record RouteMetricsSettings(int routesPerStage, int routesPerNode) {
  public static final RouteMetricsSettings DEFAULTS = new RouteMetricsSettings(50, 2_000);

  public RouteMetricsSettings {
    if (routesPerStage < 0 || routesPerNode < 0) {
      throw new IllegalArgumentException("route metric bounds must not be negative");
    }
  }

  /**
   * {@code TURNPIKE_GATEWAY_METRICS_ROUTES_PER_STAGE} [50] and {@code
   * TURNPIKE_GATEWAY_METRICS_ROUTES_PER_NODE} [2000].
   */
  public static RouteMetricsSettings read(SettingsReader read) {
    return new RouteMetricsSettings(
        read.integer(
            "TURNPIKE_GATEWAY_METRICS_ROUTES_PER_STAGE", DEFAULTS.routesPerStage(), 0, 10_000),
        read.integer(
            "TURNPIKE_GATEWAY_METRICS_ROUTES_PER_NODE", DEFAULTS.routesPerNode(), 0, 1_000_000));
  }
}
