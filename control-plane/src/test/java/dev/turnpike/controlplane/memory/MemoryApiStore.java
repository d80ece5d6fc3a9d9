package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.authorizer.Authorizer;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.problem.ApiFailure;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link ApiStore} on the in-memory database, with the schema's unique rules and cascades. */
final class MemoryApiStore implements ApiStore {
  static final String APIS = "apis";
  static final String INTEGRATIONS = "integrations";
  static final String ROUTES = "routes";

  private static final Comparator<Route> ROUTE_ORDER =
      Comparator.comparing(Route::resourcePath).thenComparing(Route::method);

  private final MemoryDb.Tx tx;
  private final UUID tenantId;
  private final MemoryDb.Table<Api> apis;
  private final MemoryDb.Table<Integration> integrations;
  private final MemoryDb.Table<Route> routes;

  MemoryApiStore(MemoryDb.Tx tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
    this.apis = tx.table(APIS, tenantId, Api.class);
    this.integrations = tx.table(INTEGRATIONS, tenantId, Integration.class);
    this.routes = tx.table(ROUTES, tenantId, Route.class);
  }

  @Override
  public void insertApi(Api api) {
    if (apis.exists(a -> a.slug().equals(api.slug()))) {
      throw ApiFailure.conflict("An API with the slug '" + api.slug() + "' exists");
    }
    apis.put(api.id(), api);
  }

  @Override
  public Optional<Api> findApi(UUID apiId) {
    return apis.get(apiId);
  }

  @Override
  public Optional<Api> lockApi(UUID apiId) {
    return apis.get(apiId);
  }

  @Override
  public List<Api> listApis() {
    return apis.where(a -> true, Comparator.comparing(Api::createdAt).thenComparing(Api::id));
  }

  @Override
  public void updateApi(Api api) {
    Api old = apis.get(api.id()).orElseThrow(() -> ApiFailure.notFound("API " + api.id()));
    // The slug and creation time are not updated.
    apis.put(
        api.id(),
        new Api(
            old.id(),
            old.slug(),
            api.name(),
            api.description(),
            api.apiKeySource(),
            api.binaryMediaTypes(),
            api.gatewayResponses(),
            api.sourceIpPolicy(),
            api.minimumCompressionSize(),
            api.decompressRequests(),
            api.corsConfiguration(),
            old.createdAt(),
            api.updatedAt()));
  }

  @Override
  public int countApis() {
    return apis.count(a -> true);
  }

  @Override
  public int countRoutes(UUID apiId) {
    return routes.count(r -> r.apiId().equals(apiId));
  }

  @Override
  public int countIntegrations(UUID apiId) {
    return integrations.count(i -> i.apiId().equals(apiId));
  }

  @Override
  public void deleteApi(UUID apiId) {
    // What the schema cascades: routes, integrations, stages (and their plan bindings),
    // deployments.
    routes.removeIf(r -> r.apiId().equals(apiId));
    integrations.removeIf(i -> i.apiId().equals(apiId));
    tx.table(MemoryAuthorizerStore.AUTHORIZERS, tenantId, Authorizer.class)
        .removeIf(a -> a.apiId().equals(apiId));
    tx.table(MemoryDeploymentStore.STAGES, tenantId, Stage.class)
        .removeIf(s -> s.apiId().equals(apiId));
    tx.table(MemoryDeploymentStore.DEPLOYMENTS, tenantId, MemoryDeploymentStore.DeploymentRow.class)
        .removeIf(d -> d.deployment().apiId().equals(apiId));
    apis.remove(apiId);
  }

  @Override
  public void insertIntegration(Integration integration) {
    requireApi(integration.apiId());
    integrations.put(integration.id(), integration);
  }

  @Override
  public Optional<Integration> findIntegration(UUID apiId, UUID integrationId) {
    return integrations.get(integrationId).filter(i -> i.apiId().equals(apiId));
  }

  @Override
  public List<Integration> listIntegrations(UUID apiId) {
    return integrations.where(
        i -> i.apiId().equals(apiId),
        Comparator.comparing(Integration::createdAt).thenComparing(Integration::id));
  }

  @Override
  public void updateIntegration(Integration integration) {
    Integration old =
        integrations
            .get(integration.id())
            .orElseThrow(() -> ApiFailure.notFound("Integration " + integration.id()));
    integrations.put(integration.id(), integration.withCreatedAt(old.createdAt()));
  }

  @Override
  public void deleteIntegration(UUID integrationId) {
    deleteIntegrations(List.of(integrationId));
  }

  @Override
  public List<Route> routesUsing(UUID integrationId) {
    return routes.where(r -> integrationId.equals(r.integrationId()), ROUTE_ORDER);
  }

  @Override
  public void insertRoute(Route route) {
    requireApi(route.apiId());
    requireAuthorizer(route);
    if (clashes(route)) {
      throw duplicate(route);
    }
    routes.put(route.id(), route);
  }

  @Override
  public Optional<Route> findRoute(UUID apiId, UUID routeId) {
    return routes.get(routeId).filter(r -> r.apiId().equals(apiId));
  }

  @Override
  public List<Route> listRoutes(UUID apiId) {
    return routes.where(r -> r.apiId().equals(apiId), ROUTE_ORDER);
  }

  @Override
  public void updateRoute(Route route) {
    Route old =
        routes.get(route.id()).orElseThrow(() -> ApiFailure.notFound("Route " + route.id()));
    if (clashes(route)) {
      throw duplicate(route);
    }
    requireAuthorizer(route);
    routes.put(route.id(), changed(old, route));
  }

  @Override
  public void deleteRoute(UUID routeId) {
    routes.remove(routeId);
  }

  @Override
  public void insertIntegrations(List<Integration> list) {
    list.forEach(this::insertIntegration);
  }

  @Override
  public void deleteIntegrations(Collection<UUID> integrationIds) {
    // Routes refer to integrations without a cascade: deleting a used one is a schema violation.
    for (UUID id : integrationIds) {
      if (!routesUsing(id).isEmpty()) {
        throw new IllegalStateException("integration " + id + " is still used by a route");
      }
      integrations.remove(id);
    }
  }

  @Override
  public void insertRoutes(List<Route> list) {
    list.forEach(this::insertRoute);
  }

  @Override
  public void updateRoutes(List<Route> list) {
    for (Route route : list) {
      requireAuthorizer(route);
      routes.get(route.id()).ifPresent(old -> routes.put(route.id(), changed(old, route)));
    }
    for (Route route : list) {
      if (clashes(route)) {
        throw new IllegalStateException("routes clash after an update: " + route);
      }
    }
  }

  @Override
  public void deleteRoutes(Collection<UUID> routeIds) {
    routeIds.forEach(routes::remove);
  }

  /** The schema's key: a route names an authorizer of its own API, in its own tenant. */
  private void requireAuthorizer(Route route) {
    if (route.authorizerId() != null
        && tx.table(MemoryAuthorizerStore.AUTHORIZERS, tenantId, Authorizer.class)
            .get(route.authorizerId())
            .filter(a -> a.apiId().equals(route.apiId()))
            .isEmpty()) {
      throw new IllegalStateException(
          "no authorizer " + route.authorizerId() + " of the route's API (foreign key)");
    }
  }

  private void requireApi(UUID apiId) {
    if (apis.get(apiId).isEmpty()) {
      throw new IllegalStateException("no API " + apiId + " for a child row (foreign key)");
    }
  }

  private boolean clashes(Route route) {
    return routes.exists(
        r ->
            !r.id().equals(route.id())
                && r.apiId().equals(route.apiId())
                && r.method().equals(route.method())
                && r.resourcePath().equals(route.resourcePath()));
  }

  private static ApiFailure duplicate(Route route) {
    return ApiFailure.conflict(
        "The API already has a route " + route.method() + " " + route.resourcePath());
  }

  private static Route changed(Route old, Route route) {
    return new Route(
        old.id(),
        old.apiId(),
        route.method(),
        route.resourcePath(),
        route.apiKeyRequired(),
        route.integrationId(),
        old.createdAt(),
        route.authorizationType(),
        route.authorizerId(),
        route.authorizationScopes());
  }
}
