package dev.turnpike.controlplane.portal;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Counted usage, as metering aggregates it, within one tenant-scoped transaction. Its one
 * implementation reads metering's daily aggregates directly; it is the seam to swap for the control
 * plane's usage feature once that exists.
 */
public interface UsageSource {
  /** Calls of one key on one day (UTC). */
  record DailyUsage(UUID keyId, LocalDate day, long calls, long errors4xx, long errors5xx) {}

  /** Per key and day of the app's keys, days in {@code [from, to]}. */
  List<DailyUsage> dailyUsage(UUID appId, LocalDate from, LocalDate to);

  /** Calls counted for the key under the plan on the days from {@code from} on. */
  long callsSince(UUID keyId, UUID planId, LocalDate from);
}
