package dev.turnpike.controlplane.authorizer;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** An API's authorizers, within one tenant-scoped transaction. */
public interface AuthorizerStore {
  /** Whether the tenant has this API. */
  boolean apiExists(UUID apiId);

  /**
   * Locks the API until the transaction ends, serializing changes to its definition, as route and
   * integration changes do.
   *
   * @return whether the tenant has this API
   */
  boolean lockApi(UUID apiId);

  Optional<Authorizer> find(UUID apiId, String name);

  Optional<Authorizer> findById(UUID apiId, UUID authorizerId);

  /** By name. */
  List<Authorizer> list(UUID apiId);

  int count(UUID apiId);

  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when the name is taken
   */
  void insert(Authorizer authorizer);

  void update(Authorizer authorizer);

  void delete(UUID authorizerId);

  /** The routes that name an authorizer, as {@code METHOD /path}, by path. */
  List<String> routesUsing(UUID authorizerId);
}
