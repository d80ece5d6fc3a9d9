package dev.turnpike.metering.stripe;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;

/**
 * One hourly meter event: a subscription's billable requests in one UTC hour (or the part of them
 * that arrived after the hour was first reported).
 *
 * @param identifier Stripe's deduplication key, deterministic: {@code sub_<id>_<yyyyMMddHH>}, and
 *     {@code _2}, {@code _3} ... for later corrections of the same hour
 */
public record MeterEvent(
    String identifier,
    UUID tenantId,
    UUID subscriptionId,
    Instant hourStart,
    long quantity,
    String eventName,
    String customerId) {
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyyMMddHH", Locale.ROOT).withZone(ZoneOffset.UTC);

  /**
   * @param revision how many events the hour already had: 0 for its first
   */
  public static String identifier(UUID subscriptionId, Instant hourStart, int revision) {
    String base = "sub_" + subscriptionId + "_" + HOUR.format(hourStart);
    return revision == 0 ? base : base + "_" + (revision + 1);
  }
}
