package dev.turnpike.controlplane.portal;

import dev.turnpike.contracts.config.QuotaLimit;
import dev.turnpike.controlplane.apikey.ApiKey;
import dev.turnpike.controlplane.apikey.ApiKeyStore;
import dev.turnpike.controlplane.app.AppStore;
import dev.turnpike.controlplane.plan.PlanStore;
import dev.turnpike.controlplane.plan.UsagePlan;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import dev.turnpike.controlplane.usage.DailyKeyUsage;
import dev.turnpike.controlplane.usage.UsageStore;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An app's usage per key and day (UTC), and how much of each plan's quota each key has used in the
 * current period, counted as the gateway counts it: per key, or under a plan that counts per
 * subscription, the calls of all the app's keys together (every key then shows the same count).
 */
public final class DeveloperUsage {
  static final int MAX_DAYS = 366;

  public record Day(LocalDate day, long calls, long errors4xx, long errors5xx) {}

  /**
   * @param countedPer {@code key} or {@code subscription}: whether {@code used} is this key's or
   *     every key's of the app
   */
  public record Quota(
      UUID planId,
      String planName,
      String period,
      LocalDate periodStart,
      long limit,
      long used,
      long remaining,
      String countedPer) {}

  public record KeyUsage(
      UUID keyId, String name, String prefix, String status, List<Day> days, List<Quota> quotas) {
    public KeyUsage {
      days = List.copyOf(days);
      quotas = List.copyOf(quotas);
    }
  }

  public record AppUsage(UUID appId, LocalDate from, LocalDate to, List<KeyUsage> keys) {
    public AppUsage {
      keys = List.copyOf(keys);
    }
  }

  private final DeveloperApps apps;
  private final TxStore<UsageStore> usageStore;
  private final TxStore<ApiKeyStore> apiKeyStore;
  private final TxStore<PlanStore> planStore;
  private final TxStore<AppStore> appStore;

  public DeveloperUsage(
      TxStore<UsageStore> usageStore,
      TxStore<ApiKeyStore> apiKeyStore,
      TxStore<PlanStore> planStore,
      TxStore<AppStore> appStore,
      DeveloperApps apps) {
    this.usageStore = usageStore;
    this.apiKeyStore = apiKeyStore;
    this.planStore = planStore;
    this.appStore = appStore;
    this.apps = apps;
  }

  /**
   * @param from first day, null for 29 days before {@code to}
   * @param to last day, null for today
   */
  public AppUsage usage(TenantTx tx, UUID appId, LocalDate from, LocalDate to) {
    apps.own(tx, appId);
    LocalDate today = LocalDate.ofInstant(tx.now(), ZoneOffset.UTC);
    LocalDate last = to == null ? today : to;
    LocalDate first = from == null ? last.minusDays(29) : from;
    Validation v = new Validation();
    v.check("from", first, f -> !f.isAfter(last), "must not be after to");
    v.check(
        "from",
        first,
        f -> ChronoUnit.DAYS.between(f, last) < MAX_DAYS,
        "the range may span at most " + MAX_DAYS + " days");
    v.throwIfInvalid();
    UsageStore source = usageStore.in(tx);
    // Metering keeps a row per key, plan and day; the chart shows a key's calls under all plans.
    Map<String, Map<LocalDate, Day>> byKey = new HashMap<>();
    for (DailyKeyUsage u : source.dailyForApp(appId, first, last)) {
      byKey
          .computeIfAbsent(u.keyId(), k -> new HashMap<>())
          .merge(
              u.day(),
              new Day(u.day(), u.calls(), u.errors4xx(), u.errors5xx()),
              (a, b) ->
                  new Day(
                      a.day(),
                      a.calls() + b.calls(),
                      a.errors4xx() + b.errors4xx(),
                      a.errors5xx() + b.errors5xx()));
    }
    List<UsagePlan> plans = activePlans(tx, appId);
    List<ApiKey> appKeys = apiKeyStore.in(tx).list(appId);
    List<KeyUsage> keys = new ArrayList<>();
    for (ApiKey key : appKeys) {
      Map<LocalDate, Day> days = byKey.getOrDefault(key.id().toString(), Map.of());
      List<Day> series = new ArrayList<>();
      for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
        series.add(days.getOrDefault(d, new Day(d, 0, 0, 0)));
      }
      List<Quota> quotas = new ArrayList<>();
      for (UsagePlan plan : plans) {
        QuotaLimit quota = plan.quota();
        if (quota == null) {
          continue;
        }
        LocalDate start = periodStart(quota, today);
        boolean shared = plan.limitScope().equals("subscription");
        // What counts towards the quota, as metering counts it: calls the gateway admitted.
        long used = 0;
        for (ApiKey counted : shared ? appKeys : List.of(key)) {
          used +=
              source.dailyForPlan(plan.id(), counted.id(), start, today).stream()
                  .mapToLong(DailyKeyUsage::quotaCalls)
                  .sum();
        }
        quotas.add(
            new Quota(
                plan.id(),
                plan.name(),
                quota.period().name(),
                start,
                quota.limit(),
                used,
                Math.max(0, quota.limit() - used),
                plan.limitScope()));
      }
      keys.add(new KeyUsage(key.id(), key.name(), key.prefix(), key.status(), series, quotas));
    }
    return new AppUsage(appId, first, last, keys);
  }

  private List<UsagePlan> activePlans(TenantTx tx, UUID appId) {
    PlanStore plans = planStore.in(tx);
    return appStore.in(tx).listSubscriptions(appId).stream()
        .filter(s -> s.status().equals("active"))
        .map(s -> plans.find(s.planId()))
        .flatMap(java.util.Optional::stream)
        .toList();
  }

  /** The first day of the quota period that holds {@code today}, UTC as the gateway counts. */
  static LocalDate periodStart(QuotaLimit quota, LocalDate today) {
    return switch (quota.period()) {
      case DAY -> today;
      case WEEK -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> today.withDayOfMonth(1);
    };
  }
}
