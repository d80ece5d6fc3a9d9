package dev.turnpike.metering.aggregation;

import dev.turnpike.contracts.usage.UsageEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What one batch of new (already deduplicated) events adds: every aggregate row it touches at each
 * granularity, the latest use of each key, and the keys whose quota it may have moved.
 */
public final class BatchAggregates {
  private static final Comparator<AggregateKey> ROW_ORDER =
      Comparator.comparing(AggregateKey::tenantId)
          .thenComparing(AggregateKey::granularity)
          .thenComparing(AggregateKey::bucketStart)
          .thenComparing(AggregateKey::apiId)
          .thenComparing(AggregateKey::stage)
          .thenComparing(AggregateKey::keyId)
          .thenComparing(AggregateKey::appId)
          .thenComparing(AggregateKey::planId);

  private final Map<MinuteKey, AggregateTotals> minutes = new HashMap<>();
  private final Map<AggregateKey, AggregateTotals> rows = new HashMap<>();
  private final Map<ReleaseKey, AggregateTotals> releases = new HashMap<>();
  private final Map<String, Instant> lastUsedByKey = new HashMap<>();
  private final Set<KeyPlan> keyPlans = new HashSet<>();
  private Instant newestEvent;

  /**
   * Aggregates {@code events}, each with a tenant id that {@link #tenantOf} accepted.
   *
   * @param events events counted once each
   */
  public static BatchAggregates of(Collection<UsageEvent> events) {
    BatchAggregates aggregates = new BatchAggregates();
    events.forEach(aggregates::add);
    aggregates.rollUp();
    return aggregates;
  }

  /** The tenant an event is counted for, or null when it names none the schema can hold. */
  public static UUID tenantOf(UsageEvent event) {
    String tenant = event.tenantId();
    if (tenant == null || tenant.length() != 36) {
      return null;
    }
    try {
      return UUID.fromString(tenant);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void add(UsageEvent event) {
    Dimensions dimensions =
        new Dimensions(
            tenantOf(event),
            nonNull(event.apiId()),
            nonNull(event.stage()),
            nonNull(event.keyId()),
            nonNull(event.appId()),
            nonNull(event.planId()));
    long minute = Math.floorDiv(event.timestamp().getEpochSecond(), 60);
    if (newestEvent == null || event.timestamp().isAfter(newestEvent)) {
      newestEvent = event.timestamp();
    }
    minutes
        .computeIfAbsent(new MinuteKey(dimensions, minute), k -> new AggregateTotals())
        .add(event);
    if (dimensions.tenantId() != null) {
      ReleaseKey release =
          new ReleaseKey(
              dimensions.tenantId(),
              dimensions.apiId(),
              dimensions.stage(),
              Granularity.HOUR.bucketStart(event.timestamp()),
              event.canary());
      releases.computeIfAbsent(release, k -> new AggregateTotals()).add(event);
    }
    String keyId = dimensions.keyId();
    if (!keyId.isEmpty()) {
      lastUsedByKey.merge(
          keyId, event.timestamp(), (held, next) -> next.isAfter(held) ? next : held);
      if (!dimensions.planId().isEmpty()) {
        keyPlans.add(
            new KeyPlan(dimensions.tenantId(), keyId, dimensions.appId(), dimensions.planId()));
      }
    }
  }

  /**
   * Rolls the minutes up into hours, days and months; a batch holds far fewer minutes than events.
   */
  private void rollUp() {
    minutes.forEach(
        (minuteKey, totals) -> {
          Instant minuteStart = Instant.ofEpochSecond(minuteKey.minute() * 60);
          for (Granularity granularity : Granularity.values()) {
            Dimensions d = minuteKey.dimensions();
            AggregateKey key =
                new AggregateKey(
                    d.tenantId(),
                    granularity,
                    granularity.bucketStart(minuteStart),
                    d.apiId(),
                    d.stage(),
                    d.keyId(),
                    d.appId(),
                    d.planId());
            rows.computeIfAbsent(key, k -> new AggregateTotals()).add(totals);
          }
        });
    minutes.clear();
  }

  private record Dimensions(
      UUID tenantId, String apiId, String stage, String keyId, String appId, String planId) {}

  private record MinuteKey(Dimensions dimensions, long minute) {}

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }

  /**
   * The rows in one fixed order, so concurrent writers (two consumers around a rebalance) lock them
   * in the same order and cannot deadlock.
   */
  public List<Map.Entry<AggregateKey, AggregateTotals>> rowsInLockOrder() {
    return rows.entrySet().stream().sorted(Map.Entry.comparingByKey(ROW_ORDER)).toList();
  }

  /** The calls per stage, hour and side of a canary release, in lock order. */
  public List<Map.Entry<ReleaseKey, AggregateTotals>> releaseRowsInLockOrder() {
    return releases.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(ReleaseKey.LOCK_ORDER))
        .toList();
  }

  public int rowCount() {
    return rows.size();
  }

  /** The latest event time per key id. */
  public Map<String, Instant> lastUsedByKey() {
    return Map.copyOf(lastUsedByKey);
  }

  /** The latest event time, null for no events. */
  public Instant newestEvent() {
    return newestEvent;
  }

  public Set<KeyPlan> keyPlans() {
    return Set.copyOf(keyPlans);
  }
}
