package dev.turnpike.controlplane.usage;

import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Usage reads: API Gateway's GetUsage for a plan (per key and day, used and remaining) and the
 * daily use of one app's keys that the developer portal shows.
 */
public final class UsageReports {
  private final TxStore<UsageStore> usageStore;

  public UsageReports(TxStore<UsageStore> usageStore) {
    this.usageStore = usageStore;
  }

  /** AWS keeps 90 days of usage for GetUsage; a year of days still answers quickly here. */
  static final int MAX_DAYS = 366;

  /** Without dates, the last 30 days up to today (UTC). */
  static final int DEFAULT_DAYS = 30;

  /**
   * GetUsage's answer.
   *
   * @param values per key id (AWS's name), one {@code [used, remaining]} per day from start to end
   *     date; remaining is null when the plan has no quota
   */
  public record PlanUsage(
      String usagePlanId, String startDate, String endDate, Map<String, List<Long[]>> values) {}

  /** The daily use of one app's keys. */
  public record AppUsage(
      String appId, String startDate, String endDate, List<DailyKeyUsage> days) {}

  /**
   * The plan's usage per key and day.
   *
   * @param keyId null for every key used under the plan in the range
   * @param startDate YYYY-MM-DD, null for 29 days before the end date
   * @param endDate YYYY-MM-DD, null for today (UTC)
   */
  public PlanUsage planUsage(
      TenantTx tx, UUID planId, String keyId, String startDate, String endDate) {
    UsageStore store = usageStore.in(tx);
    PlanQuota quota =
        store.planQuota(planId).orElseThrow(() -> ApiFailure.notFound("Usage plan " + planId));
    UUID key = keyId == null ? null : uuid(keyId, "keyId");
    if (key != null && !store.keyExists(key)) {
      throw ApiFailure.notFound("API key " + keyId);
    }
    LocalDate end = endDate == null ? today(tx) : date(endDate, "endDate");
    LocalDate start =
        startDate == null ? end.minusDays(DEFAULT_DAYS - 1) : date(startDate, "startDate");
    checkRange(start, end);
    // A week or month that began before the start date has used part of its quota already.
    LocalDate from = quota.hasQuota() ? quota.periodStart(start) : start;
    Map<String, Map<LocalDate, Long>> usedByKey = new TreeMap<>();
    if (key != null) {
      usedByKey.put(key.toString(), new HashMap<>());
    }
    for (DailyKeyUsage day : store.dailyForPlan(planId, key, from, end)) {
      usedByKey.computeIfAbsent(day.keyId(), k -> new HashMap<>()).put(day.day(), day.quotaCalls());
    }
    Map<String, List<Long[]>> values = new TreeMap<>();
    usedByKey.forEach((id, used) -> values.put(id, perDay(quota, used, from, start, end)));
    return new PlanUsage(planId.toString(), start.toString(), end.toString(), values);
  }

  /** The daily use of the app's keys between the dates, both inclusive. */
  public AppUsage appUsage(TenantTx tx, UUID appId, String startDate, String endDate) {
    UsageStore store = usageStore.in(tx);
    if (!store.appExists(appId)) {
      throw ApiFailure.notFound("App " + appId);
    }
    LocalDate end = endDate == null ? today(tx) : date(endDate, "endDate");
    LocalDate start =
        startDate == null ? end.minusDays(DEFAULT_DAYS - 1) : date(startDate, "startDate");
    checkRange(start, end);
    return new AppUsage(
        appId.toString(), start.toString(), end.toString(), store.dailyForApp(appId, start, end));
  }

  private static List<Long[]> perDay(
      PlanQuota quota, Map<LocalDate, Long> used, LocalDate from, LocalDate start, LocalDate end) {
    List<Long[]> days = new ArrayList<>();
    LocalDate periodStart = null;
    long usedInPeriod = 0;
    for (LocalDate day = from; !day.isAfter(end); day = day.plusDays(1)) {
      long usedToday = used.getOrDefault(day, 0L);
      Long remaining = null;
      if (quota.hasQuota()) {
        LocalDate dayPeriod = quota.periodStart(day);
        if (!dayPeriod.equals(periodStart)) {
          periodStart = dayPeriod;
          usedInPeriod = 0;
        }
        usedInPeriod += usedToday;
        remaining = Math.max(0, quota.limitInPeriodStartingOn(periodStart) - usedInPeriod);
      }
      if (!day.isBefore(start)) {
        days.add(new Long[] {usedToday, remaining});
      }
    }
    return days;
  }

  private static void checkRange(LocalDate start, LocalDate end) {
    if (end.isBefore(start)) {
      throw ApiFailure.invalid("endDate", "must not be before startDate");
    }
    if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
      throw ApiFailure.invalid(
          "endDate", "must be less than " + MAX_DAYS + " days after startDate");
    }
  }

  private static LocalDate today(TenantTx tx) {
    return LocalDate.ofInstant(tx.now(), ZoneOffset.UTC);
  }

  private static LocalDate date(String value, String name) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiFailure.invalid(name, "must be a date as YYYY-MM-DD, was '" + value + "'");
    }
  }

  private static UUID uuid(String value, String name) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ApiFailure.invalid(name, "must be an API key id (a UUID), was '" + value + "'");
    }
  }
}
