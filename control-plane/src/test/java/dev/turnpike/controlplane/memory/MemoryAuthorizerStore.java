package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.authorizer.Authorizer;
import dev.turnpike.controlplane.authorizer.AuthorizerStore;
import dev.turnpike.controlplane.problem.ApiFailure;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link AuthorizerStore} on the in-memory database, with the schema's rules: a name once per API,
 * and no deleting an authorizer a route names.
 */
final class MemoryAuthorizerStore implements AuthorizerStore {
  static final String AUTHORIZERS = "authorizers";

  private final MemoryDb.Table<Authorizer> authorizers;
  private final MemoryDb.Table<Api> apis;
  private final MemoryDb.Table<Route> routes;

  MemoryAuthorizerStore(MemoryDb.Tx tx, UUID tenantId) {
    this.authorizers = tx.table(AUTHORIZERS, tenantId, Authorizer.class);
    this.apis = tx.table(MemoryApiStore.APIS, tenantId, Api.class);
    this.routes = tx.table(MemoryApiStore.ROUTES, tenantId, Route.class);
  }

  @Override
  public boolean apiExists(UUID apiId) {
    return apis.get(apiId).isPresent();
  }

  @Override
  public boolean lockApi(UUID apiId) {
    // One transaction at a time runs on the in-memory database: reading is locking.
    return apiExists(apiId);
  }

  @Override
  public Optional<Authorizer> find(UUID apiId, String name) {
    return authorizers.where(a -> a.apiId().equals(apiId) && a.name().equals(name)).stream()
        .findFirst();
  }

  @Override
  public Optional<Authorizer> findById(UUID apiId, UUID authorizerId) {
    return authorizers.get(authorizerId).filter(a -> a.apiId().equals(apiId));
  }

  @Override
  public List<Authorizer> list(UUID apiId) {
    return authorizers.where(a -> a.apiId().equals(apiId), Comparator.comparing(Authorizer::name));
  }

  @Override
  public int count(UUID apiId) {
    return authorizers.count(a -> a.apiId().equals(apiId));
  }

  @Override
  public void insert(Authorizer authorizer) {
    if (apis.get(authorizer.apiId()).isEmpty()) {
      throw new IllegalStateException("no API " + authorizer.apiId() + " (foreign key)");
    }
    if (find(authorizer.apiId(), authorizer.name()).isPresent()) {
      throw ApiFailure.conflict(
          "Authorizer " + authorizer.name() + " was created at the same moment; try again");
    }
    authorizers.put(authorizer.id(), authorizer);
  }

  @Override
  public void update(Authorizer authorizer) {
    authorizers.put(authorizer.id(), authorizer);
  }

  @Override
  public void delete(UUID authorizerId) {
    if (routes.exists(r -> authorizerId.equals(r.authorizerId()))) {
      throw new IllegalStateException("authorizer " + authorizerId + " is named by a route");
    }
    authorizers.remove(authorizerId);
  }

  @Override
  public List<String> routesUsing(UUID authorizerId) {
    return routes
        .where(
            r -> authorizerId.equals(r.authorizerId()),
            Comparator.comparing(Route::resourcePath).thenComparing(Route::method))
        .stream()
        .map(r -> r.method() + " " + r.resourcePath())
        .toList();
  }
}
