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

  private final Map<AggregateKey, AggregateTotals> rows = new HashMap<>();
  private final Map<String, Instant> lastUsedByKey = new HashMap<>();
  private final Set<KeyPlan> keyPlans = new HashSet<>();

  /**
   * Aggregates {@code events}, each with a tenant id that {@link #tenantOf} accepted.
   *
   * @param events events counted once each
   */
  public static BatchAggregates of(Collection<UsageEvent> events) {
    BatchAggregates aggregates = new BatchAggregates();
    events.forEach(aggregates::add);
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
    UUID tenant = tenantOf(event);
    String apiId = nonNull(event.apiId());
    String stage = nonNull(event.stage());
    String keyId = nonNull(event.keyId());
    String appId = nonNull(event.appId());
    String planId = nonNull(event.planId());
    for (Granularity granularity : Granularity.values()) {
      AggregateKey key =
          new AggregateKey(
              tenant,
              granularity,
              granularity.bucketStart(event.timestamp()),
              apiId,
              stage,
              keyId,
              appId,
              planId);
      rows.computeIfAbsent(key, k -> new AggregateTotals()).add(event);
    }
    if (!keyId.isEmpty()) {
      lastUsedByKey.merge(
          keyId, event.timestamp(), (held, next) -> next.isAfter(held) ? next : held);
      if (!planId.isEmpty()) {
        keyPlans.add(new KeyPlan(tenant, keyId, planId));
      }
    }
  }

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

  public int rowCount() {
    return rows.size();
  }

  /** The latest event time per key id. */
  public Map<String, Instant> lastUsedByKey() {
    return Map.copyOf(lastUsedByKey);
  }

  public Set<KeyPlan> keyPlans() {
    return Set.copyOf(keyPlans);
  }
}
