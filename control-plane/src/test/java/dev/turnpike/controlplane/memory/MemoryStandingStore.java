package dev.turnpike.controlplane.memory;

import dev.turnpike.contracts.billing.BillingStanding;
import dev.turnpike.controlplane.standing.StandingStore;
import java.time.Instant;
import java.util.UUID;

/** {@link StandingStore} on the in-memory database: the decision last applied per app. */
final class MemoryStandingStore implements StandingStore {
  static final String STANDINGS = "app_billing_standings";

  /** One app's applied decision. */
  record Applied(
      UUID appId,
      BillingStanding.Standing standing,
      long revision,
      Instant decidedAt,
      Instant appliedAt) {}

  private final MemoryDb.Table<Applied> standings;

  MemoryStandingStore(MemoryDb.Tx tx, UUID tenantId) {
    this.standings = tx.table(STANDINGS, tenantId, Applied.class);
  }

  @Override
  public long appliedRevision(UUID appId) {
    return standings.get(appId).map(Applied::revision).orElse(0L);
  }

  @Override
  public void save(
      UUID appId, String standing, long revision, Instant decidedAt, Instant appliedAt) {
    standings.put(
        appId,
        new Applied(
            appId, BillingStanding.Standing.fromWire(standing), revision, decidedAt, appliedAt));
  }
}
