package dev.turnpike.controlplane.standing.impl;

import static dev.turnpike.db.Tables.APP_BILLING_STANDINGS;

import dev.turnpike.controlplane.standing.StandingStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jooq.DSLContext;

public final class JooqStandingStore implements StandingStore {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqStandingStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public long appliedRevision(UUID appId) {
    Long revision =
        tx.select(APP_BILLING_STANDINGS.REVISION)
            .from(APP_BILLING_STANDINGS)
            .where(
                APP_BILLING_STANDINGS.TENANT_ID.eq(tenantId),
                APP_BILLING_STANDINGS.APP_ID.eq(appId))
            .fetchOne(APP_BILLING_STANDINGS.REVISION);
    return revision == null ? 0 : revision;
  }

  @Override
  public void save(
      UUID appId, String standing, long revision, Instant decidedAt, Instant appliedAt) {
    tx.insertInto(APP_BILLING_STANDINGS)
        .set(APP_BILLING_STANDINGS.TENANT_ID, tenantId)
        .set(APP_BILLING_STANDINGS.APP_ID, appId)
        .set(APP_BILLING_STANDINGS.STANDING, standing)
        .set(APP_BILLING_STANDINGS.REVISION, revision)
        .set(APP_BILLING_STANDINGS.DECIDED_AT, decidedAt.atOffset(ZoneOffset.UTC))
        .set(APP_BILLING_STANDINGS.APPLIED_AT, appliedAt.atOffset(ZoneOffset.UTC))
        .onConflict(APP_BILLING_STANDINGS.TENANT_ID, APP_BILLING_STANDINGS.APP_ID)
        .doUpdate()
        .set(APP_BILLING_STANDINGS.STANDING, standing)
        .set(APP_BILLING_STANDINGS.REVISION, revision)
        .set(APP_BILLING_STANDINGS.DECIDED_AT, decidedAt.atOffset(ZoneOffset.UTC))
        .set(APP_BILLING_STANDINGS.APPLIED_AT, appliedAt.atOffset(ZoneOffset.UTC))
        .execute();
  }
}
