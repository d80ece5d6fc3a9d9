package dev.turnpike.controlplane.upstream;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** An API's upstreams, within one tenant-scoped transaction. */
public interface UpstreamStore {
  /** Whether the tenant has this API. */
  boolean apiExists(UUID apiId);

  /**
   * Locks the API until the transaction ends, serializing changes to its definition.
   *
   * @return whether the tenant has this API
   */
  boolean lockApi(UUID apiId);

  Optional<Upstream> find(UUID apiId, String name);

  /** By name. */
  List<Upstream> list(UUID apiId);

  int count(UUID apiId);

  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when the name is taken
   */
  void insert(Upstream upstream);

  void update(Upstream upstream);

  void delete(UUID upstreamId);
}
