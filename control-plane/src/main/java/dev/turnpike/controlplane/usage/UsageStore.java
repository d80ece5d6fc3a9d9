package dev.turnpike.controlplane.usage;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Metering's daily aggregates, read in one tenant's scope. */
public interface UsageStore {

  /** The plan's quota, empty when the tenant has no such plan. */
  Optional<PlanQuota> planQuota(UUID planId);

  boolean keyExists(UUID keyId);

  boolean appExists(UUID appId);

  /**
   * Daily use per key under {@code planId} from {@code from} to {@code to}, both inclusive, days
   * without use absent.
   *
   * @param keyId null for every key
   */
  List<DailyKeyUsage> dailyForPlan(UUID planId, UUID keyId, LocalDate from, LocalDate to);

  /** Daily use of the app's keys, per key and plan, from {@code from} to {@code to} inclusive. */
  List<DailyKeyUsage> dailyForApp(UUID appId, LocalDate from, LocalDate to);
}
