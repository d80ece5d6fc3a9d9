package dev.turnpike.metering.quota;

import dev.turnpike.contracts.config.LimitScope;
import dev.turnpike.contracts.config.QuotaCalendar;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.QuotaWindow;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A plan's quota with AWS's meaning of {@code offset}: requests taken off the limit in the initial
 * period only. The initial period is the one holding {@code effectiveFrom}, when the plan was
 * created; the gateway does not know that instant, which is why metering's count is the one that
 * applies the offset.
 *
 * @param scope whether the quota counts each key or each app's subscription
 */
public record QuotaRule(
    UUID tenantId,
    String planId,
    long limit,
    long offset,
    QuotaPeriod period,
    Instant effectiveFrom,
    LimitScope scope) {
  /** A quota counted per key, as API Gateway counts it. */
  public QuotaRule(
      UUID tenantId,
      String planId,
      long limit,
      long offset,
      QuotaPeriod period,
      Instant effectiveFrom) {
    this(tenantId, planId, limit, offset, period, effectiveFrom, LimitScope.KEY);
  }

  public QuotaRule {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    if (limit < 0 || offset < 0 || offset > limit) {
      throw new IllegalArgumentException(
          "quota limit " + limit + " and offset " + offset + " must satisfy 0 <= offset <= limit");
    }
  }

  public QuotaWindow windowContaining(Instant instant) {
    return QuotaCalendar.windowContaining(period, instant);
  }

  /** The requests allowed in {@code window}. */
  public long limitIn(QuotaWindow window) {
    return window.contains(effectiveFrom) ? limit - offset : limit;
  }
}
