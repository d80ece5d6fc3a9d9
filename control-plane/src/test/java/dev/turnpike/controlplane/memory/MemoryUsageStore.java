package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.apikey.ApiKeyStore.StoredKey;
import dev.turnpike.controlplane.app.App;
import dev.turnpike.controlplane.plan.UsagePlan;
import dev.turnpike.controlplane.usage.DailyKeyUsage;
import dev.turnpike.controlplane.usage.PlanQuota;
import dev.turnpike.controlplane.usage.UsageStore;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * {@link UsageStore} on the in-memory database. Metering writes the real aggregates; here a test
 * adds the day totals it needs with {@link #add}.
 */
final class MemoryUsageStore implements UsageStore {
  static final String DAYS = "usage_days";

  /** One key's totals for one day, with the app the key belongs to. */
  record Day(UUID appId, DailyKeyUsage usage) {}

  private static final Comparator<DailyKeyUsage> ORDER =
      Comparator.comparing(DailyKeyUsage::day)
          .thenComparing(DailyKeyUsage::keyId)
          .thenComparing(DailyKeyUsage::planId);

  private final MemoryDb.Table<UsagePlan> plans;
  private final MemoryDb.Table<StoredKey> keys;
  private final MemoryDb.Table<App> apps;
  private final MemoryDb.Table<Day> days;

  MemoryUsageStore(MemoryDb.Tx tx, UUID tenantId) {
    this.plans = tx.table(MemoryPlanStore.PLANS, tenantId, UsagePlan.class);
    this.keys = tx.table(MemoryApiKeyStore.KEYS, tenantId, StoredKey.class);
    this.apps = tx.table(MemoryAppStore.APPS, tenantId, App.class);
    this.days = tx.table(DAYS, tenantId, Day.class);
  }

  static void add(MemoryDb.Tx tx, UUID tenantId, UUID appId, DailyKeyUsage usage) {
    tx.table(DAYS, tenantId, Day.class).put(UUID.randomUUID(), new Day(appId, usage));
  }

  @Override
  public Optional<PlanQuota> planQuota(UUID planId) {
    return plans
        .get(planId)
        .map(
            p ->
                new PlanQuota(
                    p.quota() == null ? null : p.quota().limit(),
                    p.quota() == null ? 0 : p.quota().offset(),
                    p.quota() == null ? null : p.quota().period(),
                    p.createdAt().atZone(ZoneOffset.UTC)));
  }

  @Override
  public boolean keyExists(UUID keyId) {
    return keys.get(keyId).isPresent();
  }

  @Override
  public boolean appExists(UUID appId) {
    return apps.get(appId).isPresent();
  }

  @Override
  public List<DailyKeyUsage> dailyForPlan(UUID planId, UUID keyId, LocalDate from, LocalDate to) {
    return daily(
        d ->
            d.usage().planId().equals(planId.toString())
                && (keyId == null || d.usage().keyId().equals(keyId.toString())),
        from,
        to);
  }

  @Override
  public List<DailyKeyUsage> dailyForApp(UUID appId, LocalDate from, LocalDate to) {
    return daily(d -> d.appId().equals(appId), from, to);
  }

  private List<DailyKeyUsage> daily(Predicate<Day> condition, LocalDate from, LocalDate to) {
    return days
        .where(
            d ->
                condition.test(d)
                    && !d.usage().keyId().isEmpty()
                    && !d.usage().day().isBefore(from)
                    && !d.usage().day().isAfter(to))
        .stream()
        .map(Day::usage)
        .sorted(ORDER)
        .toList();
  }
}
