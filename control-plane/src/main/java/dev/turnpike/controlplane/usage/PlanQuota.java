package dev.turnpike.controlplane.usage;

import dev.turnpike.contracts.config.QuotaCalendar;
import dev.turnpike.contracts.config.QuotaPeriod;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * A plan's quota as usage reports need it.
 *
 * @param limit null when the plan has no quota
 * @param createdAt fixes the initial period, in which the offset is taken off the limit (as
 *     metering applies it)
 */
public record PlanQuota(Long limit, long offset, QuotaPeriod period, ZonedDateTime createdAt) {

  public boolean hasQuota() {
    return limit != null && period != null;
  }

  /** The first day of the quota period holding {@code day}. */
  public LocalDate periodStart(LocalDate day) {
    return QuotaCalendar.firstDay(period, day);
  }

  /** The requests allowed in the period starting on {@code periodStart}. */
  public long limitInPeriodStartingOn(LocalDate periodStart) {
    LocalDate created = createdAt.withZoneSameInstant(ZoneOffset.UTC).toLocalDate();
    return QuotaCalendar.firstDay(period, created).equals(periodStart) ? limit - offset : limit;
  }
}
