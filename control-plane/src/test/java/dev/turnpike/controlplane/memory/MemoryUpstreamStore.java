package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.upstream.Upstream;
import dev.turnpike.controlplane.upstream.UpstreamStore;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link UpstreamStore} on the in-memory database, with the schema's rule: a name once per API. */
final class MemoryUpstreamStore implements UpstreamStore {
  static final String UPSTREAMS = "upstreams";

  private final MemoryDb.Table<Upstream> upstreams;
  private final MemoryDb.Table<Api> apis;

  MemoryUpstreamStore(MemoryDb.Tx tx, UUID tenantId) {
    this.upstreams = tx.table(UPSTREAMS, tenantId, Upstream.class);
    this.apis = tx.table(MemoryApiStore.APIS, tenantId, Api.class);
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
  public Optional<Upstream> find(UUID apiId, String name) {
    return upstreams.where(u -> u.apiId().equals(apiId) && u.name().equals(name)).stream()
        .findFirst();
  }

  @Override
  public List<Upstream> list(UUID apiId) {
    return upstreams.where(u -> u.apiId().equals(apiId), Comparator.comparing(Upstream::name));
  }

  @Override
  public int count(UUID apiId) {
    return upstreams.count(u -> u.apiId().equals(apiId));
  }

  @Override
  public void insert(Upstream upstream) {
    if (apis.get(upstream.apiId()).isEmpty()) {
      throw new IllegalStateException("no API " + upstream.apiId() + " (foreign key)");
    }
    if (find(upstream.apiId(), upstream.name()).isPresent()) {
      throw ApiFailure.conflict(
          "Upstream " + upstream.name() + " was created at the same moment; try again");
    }
    upstreams.put(upstream.id(), upstream);
  }

  @Override
  public void update(Upstream upstream) {
    upstreams.put(upstream.id(), upstream);
  }

  @Override
  public void delete(UUID upstreamId) {
    upstreams.remove(upstreamId);
  }
}
