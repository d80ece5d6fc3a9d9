package dev.turnpike.controlplane.upstream.impl;

import static dev.turnpike.controlplane.db.Jsonb.instant;
import static dev.turnpike.controlplane.db.Jsonb.time;
import static dev.turnpike.db.Tables.UPSTREAMS;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.turnpike.contracts.config.UpstreamBalancing;
import dev.turnpike.contracts.config.UpstreamDiscovery;
import dev.turnpike.contracts.config.UpstreamHealthCheck;
import dev.turnpike.contracts.config.UpstreamTarget;
import dev.turnpike.controlplane.db.Jsonb;
import dev.turnpike.controlplane.db.SqlErrors;
import dev.turnpike.controlplane.db.TenantApis;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.upstream.Upstream;
import dev.turnpike.controlplane.upstream.UpstreamStore;
import dev.turnpike.db.tables.records.UpstreamsRecord;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/** {@link UpstreamStore} on the upstreams table. */
public final class JooqUpstreamStore implements UpstreamStore {
  private static final TypeReference<List<UpstreamTarget>> TARGETS = new TypeReference<>() {};

  private final DSLContext tx;
  private final UUID tenantId;

  public JooqUpstreamStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public boolean apiExists(UUID apiId) {
    return TenantApis.exists(tx, tenantId, apiId);
  }

  @Override
  public boolean lockApi(UUID apiId) {
    return TenantApis.lock(tx, tenantId, apiId);
  }

  @Override
  public Optional<Upstream> find(UUID apiId, String name) {
    return tx.selectFrom(UPSTREAMS)
        .where(UPSTREAMS.TENANT_ID.eq(tenantId))
        .and(UPSTREAMS.API_ID.eq(apiId))
        .and(UPSTREAMS.NAME.eq(name))
        .fetchOptional(JooqUpstreamStore::upstream);
  }

  @Override
  public List<Upstream> list(UUID apiId) {
    return tx.selectFrom(UPSTREAMS)
        .where(UPSTREAMS.TENANT_ID.eq(tenantId).and(UPSTREAMS.API_ID.eq(apiId)))
        .orderBy(UPSTREAMS.NAME)
        .fetch(JooqUpstreamStore::upstream);
  }

  @Override
  public int count(UUID apiId) {
    return tx.fetchCount(
        UPSTREAMS, UPSTREAMS.TENANT_ID.eq(tenantId).and(UPSTREAMS.API_ID.eq(apiId)));
  }

  @Override
  public void insert(Upstream upstream) {
    UpstreamsRecord r = tx.newRecord(UPSTREAMS);
    r.setId(upstream.id());
    r.setTenantId(tenantId);
    r.setApiId(upstream.apiId());
    r.setName(upstream.name());
    r.setCreatedAt(time(upstream.createdAt()));
    fill(r, upstream);
    try {
      r.insert();
    } catch (DataAccessException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw ApiFailure.conflict(
            "Upstream " + upstream.name() + " was created at the same moment; try again");
      }
      throw e;
    }
  }

  @Override
  public void update(Upstream upstream) {
    UpstreamsRecord r =
        tx.selectFrom(UPSTREAMS)
            .where(UPSTREAMS.TENANT_ID.eq(tenantId).and(UPSTREAMS.ID.eq(upstream.id())))
            .fetchSingle();
    fill(r, upstream);
    r.update();
  }

  @Override
  public void delete(UUID upstreamId) {
    tx.deleteFrom(UPSTREAMS)
        .where(UPSTREAMS.TENANT_ID.eq(tenantId).and(UPSTREAMS.ID.eq(upstreamId)))
        .execute();
  }

  private static void fill(UpstreamsRecord r, Upstream upstream) {
    r.setBalancing(upstream.balancing().name().toLowerCase(Locale.ROOT));
    r.setTargets(Jsonb.of(upstream.targets()));
    r.setHealthCheck(upstream.healthCheck() == null ? null : Jsonb.of(upstream.healthCheck()));
    r.setDiscovery(upstream.discovery() == null ? null : Jsonb.of(upstream.discovery()));
    r.setUpdatedAt(time(upstream.updatedAt()));
  }

  private static Upstream upstream(UpstreamsRecord r) {
    return new Upstream(
        r.getId(),
        r.getApiId(),
        r.getName(),
        UpstreamBalancing.valueOf(r.getBalancing().toUpperCase(Locale.ROOT)),
        Jsonb.read(r.getTargets(), TARGETS),
        r.getHealthCheck() == null
            ? null
            : Jsonb.read(r.getHealthCheck(), UpstreamHealthCheck.class),
        r.getDiscovery() == null ? null : Jsonb.read(r.getDiscovery(), UpstreamDiscovery.class),
        instant(r.getCreatedAt()),
        instant(r.getUpdatedAt()));
  }
}
