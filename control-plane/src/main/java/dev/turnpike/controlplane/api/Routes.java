package dev.turnpike.controlplane.api;

import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;
import java.util.UUID;

/** Use cases of an API's routes, checked against API Gateway's resource rules. */
public final class Routes {
  private final OwnerLimits limits;
  private final TxStore<ApiStore> apiStore;

  public Routes(TxStore<ApiStore> apiStore, OwnerLimits limits) {
    this.apiStore = apiStore;
    this.limits = limits;
  }

  public record RouteInput(
      String method, String resourcePath, Boolean apiKeyRequired, UUID integrationId) {}

  public Route create(TenantTx tx, UUID apiId, RouteInput in) {
    // The resource must exist before its input is judged: 404 comes before 400.
    apiStore.in(tx).findApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    validate(in);
    ApiStore store = apiStore.in(tx);
    store.lockApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    checkAgainstApi(store, apiId, null, in);
    limits.check(Limit.ROUTES_PER_API, store.countRoutes(apiId) + 1L, null);
    Route route =
        new Route(
            UUID.randomUUID(),
            apiId,
            in.method(),
            in.resourcePath(),
            Boolean.TRUE.equals(in.apiKeyRequired()),
            in.integrationId(),
            tx.now());
    store.insertRoute(route);
    tx.audit().record("route.create", "route", route.id(), null, route);
    return route;
  }

  public List<Route> list(TenantTx tx, UUID apiId) {
    ApiStore store = apiStore.in(tx);
    store.findApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    return store.listRoutes(apiId);
  }

  public Route get(TenantTx tx, UUID apiId, UUID routeId) {
    return apiStore.in(tx).findRoute(apiId, routeId).orElseThrow(() -> notFound(routeId));
  }

  public Route update(TenantTx tx, UUID apiId, UUID routeId, RouteInput in) {
    get(
        tx, apiId,
        routeId); // The resource must exist before its input is judged: 404 comes before 400.
    validate(in);
    ApiStore store = apiStore.in(tx);
    store.lockApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    Route before = store.findRoute(apiId, routeId).orElseThrow(() -> notFound(routeId));
    checkAgainstApi(store, apiId, routeId, in);
    Route after =
        new Route(
            routeId,
            apiId,
            in.method(),
            in.resourcePath(),
            Boolean.TRUE.equals(in.apiKeyRequired()),
            in.integrationId(),
            before.createdAt());
    store.updateRoute(after);
    tx.audit().record("route.update", "route", routeId, before, after);
    return after;
  }

  public void delete(TenantTx tx, UUID apiId, UUID routeId) {
    ApiStore store = apiStore.in(tx);
    store.lockApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    Route before = store.findRoute(apiId, routeId).orElseThrow(() -> notFound(routeId));
    store.deleteRoute(routeId);
    tx.audit().record("route.delete", "route", routeId, before, null);
  }

  private static ApiFailure notFound(UUID routeId) {
    return ApiFailure.notFound("Route " + routeId);
  }

  private static void validate(RouteInput in) {
    Validation v = new Validation();
    if (v.required("/method", in.method())) {
      v.check("/method", in.method(), HttpMethods.ROUTE_METHODS::contains, HttpMethods.RULE);
    }
    if (v.required("/resourcePath", in.resourcePath())) {
      try {
        ResourcePath.parse(in.resourcePath());
      } catch (IllegalArgumentException e) {
        v.add("/resourcePath", e.getMessage());
      }
    }
    v.required("/integrationId", in.integrationId());
    v.throwIfInvalid();
  }

  private static void checkAgainstApi(ApiStore store, UUID apiId, UUID routeId, RouteInput in) {
    Validation v = new Validation();
    if (store.findIntegration(apiId, in.integrationId()).isEmpty()) {
      v.add("/integrationId", "is not an integration of this API");
    }
    List<String> otherPaths =
        store.listRoutes(apiId).stream()
            .filter(r -> !r.id().equals(routeId))
            .map(Route::resourcePath)
            .distinct()
            .toList();
    String conflict = ResourcePath.conflict(in.resourcePath(), otherPaths);
    if (conflict != null) {
      v.add("/resourcePath", conflict);
    }
    v.throwIfInvalid();
  }
}
