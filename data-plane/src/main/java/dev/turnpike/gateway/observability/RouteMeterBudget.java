package dev.turnpike.gateway.observability;

import java.util.HashSet;
import java.util.Set;

/**
 * The node's one account of which stage routes have meters of their own: every stage compiled on
 * the node asks it, so the bound holds across all tenants, not per deployment.
 */
public final class RouteMeterBudget {
  /** The route label of the requests of routes past the bounds. */
  public static final String OTHER = "other";

  private final RouteMetricsSettings settings;
  private final Set<String> labelled = new HashSet<>();

  public RouteMeterBudget(RouteMetricsSettings settings) {
    this.settings = settings;
  }

  /**
   * The route label for the {@code index}-th route (from 0, in the deployment's order) of a stage:
   * its route key while both bounds allow, else {@link #OTHER}. A route that was labelled before
   * keeps its label, so a recompile (a plan change, a redeploy) does not move its counts.
   *
   * @param stageScope the stage, as tenant, API and stage ids
   */
  public synchronized String label(String stageScope, int index, String routeKey) {
    if (index >= settings.routesPerStage()) {
      return OTHER;
    }
    String id = stageScope + ' ' + routeKey;
    if (labelled.contains(id)) {
      return routeKey;
    }
    if (labelled.size() >= settings.routesPerNode()) {
      return OTHER;
    }
    labelled.add(id);
    return routeKey;
  }
}
