package dev.turnpike.controlplane.api;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** APIs, their integrations and routes, within one tenant-scoped transaction. */
public interface ApiStore {
  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when the slug is taken
   */
  void insertApi(Api api);

  Optional<Api> findApi(UUID apiId);

  /** Reads the API and locks it until the transaction ends, serializing changes to it. */
  Optional<Api> lockApi(UUID apiId);

  List<Api> listApis();

  void updateApi(Api api);

  int countApis();

  int countRoutes(UUID apiId);

  int countIntegrations(UUID apiId);

  void deleteApi(UUID apiId);

  void insertIntegration(Integration integration);

  Optional<Integration> findIntegration(UUID apiId, UUID integrationId);

  List<Integration> listIntegrations(UUID apiId);

  void updateIntegration(Integration integration);

  void deleteIntegration(UUID integrationId);

  /** The routes that use an integration. */
  List<Route> routesUsing(UUID integrationId);

  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when the method and path exist
   */
  void insertRoute(Route route);

  Optional<Route> findRoute(UUID apiId, UUID routeId);

  List<Route> listRoutes(UUID apiId);

  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when the method and path exist
   */
  void updateRoute(Route route);

  void deleteRoute(UUID routeId);

  // Whole definitions at once (an OpenAPI import): a few statements, not one per route.

  void insertIntegrations(List<Integration> integrations);

  void deleteIntegrations(Collection<UUID> integrationIds);

  /** The routes' method and path must not exist yet; an import checks that first. */
  void insertRoutes(List<Route> routes);

  /** Changes each route's method, path, key requirement and integration. */
  void updateRoutes(List<Route> routes);

  void deleteRoutes(Collection<UUID> routeIds);
}
