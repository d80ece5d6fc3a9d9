package dev.turnpike.metering.aggregation.impl;

import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.metering.aggregation.AggregateKey;
import dev.turnpike.metering.aggregation.AggregateTotals;
import dev.turnpike.metering.aggregation.AggregationStore;
import dev.turnpike.metering.aggregation.BatchAggregates;
import dev.turnpike.metering.aggregation.CommitResult;
import dev.turnpike.metering.aggregation.PartitionOffset;
import dev.turnpike.metering.aggregation.ReleaseKey;
import dev.turnpike.metering.aggregation.UsageBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The aggregation store on PostgreSQL. A batch costs a fixed number of statements whatever its
 * size: every statement takes its rows as arrays and expands them with {@code unnest}, so 10,000
 * events are one round trip to claim their ids and one to add a few hundred aggregate rows.
 */
public final class JdbcAggregationStore implements AggregationStore {

  // Claiming the ids is the dedup: a conflicting id was counted before (or by a consumer that
  // still held the partition a moment ago, whose insert this one waits for). Only the ids not
  // claimed come back, which is almost always none.
  private static final String CLAIM_EVENTS =
      """
      WITH batch AS (SELECT DISTINCT id FROM unnest(?::uuid[]) AS t(id)),
      claimed AS (
        INSERT INTO processed_events (event_id, processed_at)
        SELECT id, now() FROM batch
        ON CONFLICT (event_id) DO NOTHING
        RETURNING event_id)
      SELECT id FROM batch WHERE NOT EXISTS (SELECT 1 FROM claimed WHERE claimed.event_id = batch.id)
      """;

  private static final String UPSERT_AGGREGATES =
      """
      INSERT INTO usage_aggregates AS a (tenant_id, granularity, bucket_start, api_id, stage,
          key_id, app_id, plan_id, calls, errors_4xx, errors_5xx, throttled, quota_exceeded,
          bytes_in, bytes_out, latency_sum_micros, latency_max_micros, messages, connection_millis)
      SELECT v.tenant_id, v.granularity, to_timestamp(v.bucket_epoch), v.api_id, v.stage,
          v.key_id, v.app_id, v.plan_id, v.calls, v.e4, v.e5, v.thr, v.qex, v.bin, v.bout,
          v.lsum, v.lmax, v.msgs, v.cms
      FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[],
          ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
          ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
        AS v(tenant_id, granularity, bucket_epoch, api_id, stage, key_id, app_id, plan_id, calls,
          e4, e5, thr, qex, bin, bout, lsum, lmax, msgs, cms)
      WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = v.tenant_id)
      ON CONFLICT (tenant_id, granularity, bucket_start, api_id, stage, key_id, app_id, plan_id)
      DO UPDATE SET
          calls = a.calls + excluded.calls,
          errors_4xx = a.errors_4xx + excluded.errors_4xx,
          errors_5xx = a.errors_5xx + excluded.errors_5xx,
          throttled = a.throttled + excluded.throttled,
          quota_exceeded = a.quota_exceeded + excluded.quota_exceeded,
          bytes_in = a.bytes_in + excluded.bytes_in,
          bytes_out = a.bytes_out + excluded.bytes_out,
          latency_sum_micros = a.latency_sum_micros + excluded.latency_sum_micros,
          latency_max_micros = greatest(a.latency_max_micros, excluded.latency_max_micros),
          messages = a.messages + excluded.messages,
          connection_millis = a.connection_millis + excluded.connection_millis
      """;

  private static final String UPSERT_RELEASES =
      """
      INSERT INTO release_aggregates AS r (tenant_id, api_id, stage, bucket_start, canary, calls,
          errors_4xx, errors_5xx, latency_sum_micros, latency_max_micros)
      SELECT v.tenant_id, v.api_id, v.stage, to_timestamp(v.bucket_epoch), v.canary, v.calls,
          v.e4, v.e5, v.lsum, v.lmax
      FROM unnest(?::uuid[], ?::text[], ?::text[], ?::bigint[], ?::boolean[], ?::bigint[],
          ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
        AS v(tenant_id, api_id, stage, bucket_epoch, canary, calls, e4, e5, lsum, lmax)
      WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = v.tenant_id)
      ON CONFLICT (tenant_id, api_id, stage, bucket_start, canary) DO UPDATE SET
          calls = r.calls + excluded.calls,
          errors_4xx = r.errors_4xx + excluded.errors_4xx,
          errors_5xx = r.errors_5xx + excluded.errors_5xx,
          latency_sum_micros = r.latency_sum_micros + excluded.latency_sum_micros,
          latency_max_micros = greatest(r.latency_max_micros, excluded.latency_max_micros)
      """;

  private static final String TOUCH_KEYS =
      """
      UPDATE api_keys k SET last_used_at = v.used_at
      FROM (SELECT id, to_timestamp(used_ms / 1000.0) AS used_at
            FROM unnest(?::uuid[], ?::bigint[]) AS u(id, used_ms)) AS v
      WHERE k.id = v.id AND (k.last_used_at IS NULL OR k.last_used_at < v.used_at)
      """;

  // A consumer that lost its partitions may still commit one batch late; its older position must
  // not move the stored one back (its events are already deduplicated by the claim above).
  private static final String STORE_OFFSETS =
      """
      INSERT INTO consumer_offsets AS o (consumer_group, topic, partition, next_offset, updated_at)
      SELECT ?, v.topic, v.partition, v.next_offset, now()
      FROM unnest(?::text[], ?::int[], ?::bigint[]) AS v(topic, partition, next_offset)
      ON CONFLICT (consumer_group, topic, partition) DO UPDATE
      SET next_offset = excluded.next_offset, updated_at = excluded.updated_at
      WHERE o.next_offset < excluded.next_offset
      """;

  private static final String READ_OFFSETS =
      """
      SELECT partition, next_offset FROM consumer_offsets
      WHERE consumer_group = ? AND topic = ? AND partition = ANY (?::int[])
      """;

  private static final String FORGET_EVENTS =
      """
      DELETE FROM processed_events WHERE ctid IN (
        SELECT ctid FROM processed_events WHERE processed_at < ? LIMIT ?)
      """;

  private final DataSource dataSource;

  public JdbcAggregationStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public CommitResult commit(String consumerGroup, UsageBatch batch) {
    Map<UUID, UsageEvent> unique = new LinkedHashMap<>();
    for (UsageEvent event : batch.events()) {
      unique.putIfAbsent(event.eventId(), event);
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Set<UUID> seen = alreadyCounted(connection, unique.keySet());
        List<UsageEvent> counted = new ArrayList<>(unique.size());
        for (UsageEvent event : unique.values()) {
          if (!seen.contains(event.eventId())) {
            counted.add(event);
          }
        }
        BatchAggregates aggregates = BatchAggregates.of(counted);
        upsert(connection, aggregates);
        upsertReleases(connection, aggregates);
        touchKeys(connection, aggregates.lastUsedByKey());
        storeOffsets(connection, consumerGroup, batch.nextOffsets());
        connection.commit();
        return new CommitResult(
            counted.size(),
            batch.events().size() - counted.size(),
            aggregates.rowCount(),
            aggregates.keyPlans(),
            aggregates.newestEvent());
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw SqlFailures.classify("committing a usage batch failed", e);
    }
  }

  /** Claims the ids and returns those that were claimed before. */
  private static Set<UUID> alreadyCounted(Connection connection, Collection<UUID> ids)
      throws SQLException {
    Set<UUID> seen = new HashSet<>();
    if (ids.isEmpty()) {
      return seen;
    }
    try (PreparedStatement statement = connection.prepareStatement(CLAIM_EVENTS)) {
      statement.setArray(1, connection.createArrayOf("uuid", ids.toArray(new UUID[0])));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          seen.add(rows.getObject(1, UUID.class));
        }
      }
    }
    return seen;
  }

  private static void upsert(Connection connection, BatchAggregates aggregates)
      throws SQLException {
    List<Map.Entry<AggregateKey, AggregateTotals>> rows = aggregates.rowsInLockOrder();
    if (rows.isEmpty()) {
      return;
    }
    int n = rows.size();
    UUID[] tenants = new UUID[n];
    String[] granularities = new String[n];
    Long[] buckets = new Long[n];
    String[] apis = new String[n];
    String[] stages = new String[n];
    String[] keys = new String[n];
    String[] apps = new String[n];
    String[] plans = new String[n];
    Long[][] counters = new Long[11][n];
    for (int i = 0; i < n; i++) {
      AggregateKey key = rows.get(i).getKey();
      AggregateTotals totals = rows.get(i).getValue();
      tenants[i] = key.tenantId();
      granularities[i] = key.granularity().column();
      buckets[i] = key.bucketStart().getEpochSecond();
      apis[i] = key.apiId();
      stages[i] = key.stage();
      keys[i] = key.keyId();
      apps[i] = key.appId();
      plans[i] = key.planId();
      counters[0][i] = totals.calls();
      counters[1][i] = totals.errors4xx();
      counters[2][i] = totals.errors5xx();
      counters[3][i] = totals.throttled();
      counters[4][i] = totals.quotaExceeded();
      counters[5][i] = totals.bytesIn();
      counters[6][i] = totals.bytesOut();
      counters[7][i] = totals.latencySumMicros();
      counters[8][i] = totals.latencyMaxMicros();
      counters[9][i] = totals.messages();
      counters[10][i] = totals.connectionMillis();
    }
    try (PreparedStatement statement = connection.prepareStatement(UPSERT_AGGREGATES)) {
      int p = 1;
      statement.setArray(p++, connection.createArrayOf("uuid", tenants));
      statement.setArray(p++, connection.createArrayOf("text", granularities));
      statement.setArray(p++, connection.createArrayOf("int8", buckets));
      for (String[] column : List.of(apis, stages, keys, apps, plans)) {
        statement.setArray(p++, connection.createArrayOf("text", column));
      }
      for (Long[] column : counters) {
        statement.setArray(p++, connection.createArrayOf("int8", column));
      }
      statement.executeUpdate();
    }
  }

  private static void upsertReleases(Connection connection, BatchAggregates aggregates)
      throws SQLException {
    List<Map.Entry<ReleaseKey, AggregateTotals>> rows = aggregates.releaseRowsInLockOrder();
    if (rows.isEmpty()) {
      return;
    }
    int n = rows.size();
    UUID[] tenants = new UUID[n];
    String[] apis = new String[n];
    String[] stages = new String[n];
    Long[] buckets = new Long[n];
    Boolean[] canary = new Boolean[n];
    Long[][] counters = new Long[5][n];
    for (int i = 0; i < n; i++) {
      ReleaseKey key = rows.get(i).getKey();
      AggregateTotals totals = rows.get(i).getValue();
      tenants[i] = key.tenantId();
      apis[i] = key.apiId();
      stages[i] = key.stage();
      buckets[i] = key.bucketStart().getEpochSecond();
      canary[i] = key.canary();
      counters[0][i] = totals.calls();
      counters[1][i] = totals.errors4xx();
      counters[2][i] = totals.errors5xx();
      counters[3][i] = totals.latencySumMicros();
      counters[4][i] = totals.latencyMaxMicros();
    }
    try (PreparedStatement statement = connection.prepareStatement(UPSERT_RELEASES)) {
      int p = 1;
      statement.setArray(p++, connection.createArrayOf("uuid", tenants));
      statement.setArray(p++, connection.createArrayOf("text", apis));
      statement.setArray(p++, connection.createArrayOf("text", stages));
      statement.setArray(p++, connection.createArrayOf("int8", buckets));
      statement.setArray(p++, connection.createArrayOf("bool", canary));
      for (Long[] column : counters) {
        statement.setArray(p++, connection.createArrayOf("int8", column));
      }
      statement.executeUpdate();
    }
  }

  private static void touchKeys(Connection connection, Map<String, Instant> lastUsedByKey)
      throws SQLException {
    // Sorted so that concurrent batches lock key rows in one order.
    TreeMap<UUID, Instant> byId = new TreeMap<>();
    lastUsedByKey.forEach(
        (keyId, usedAt) -> {
          UUID id = uuidOrNull(keyId);
          if (id != null) {
            byId.put(id, usedAt);
          }
        });
    if (byId.isEmpty()) {
      return;
    }
    Long[] usedAt = byId.values().stream().map(Instant::toEpochMilli).toArray(Long[]::new);
    try (PreparedStatement statement = connection.prepareStatement(TOUCH_KEYS)) {
      statement.setArray(1, connection.createArrayOf("uuid", byId.keySet().toArray(new UUID[0])));
      statement.setArray(2, connection.createArrayOf("int8", usedAt));
      statement.executeUpdate();
    }
  }

  private static void storeOffsets(
      Connection connection, String consumerGroup, List<PartitionOffset> offsets)
      throws SQLException {
    if (offsets.isEmpty()) {
      return;
    }
    int n = offsets.size();
    String[] topics = new String[n];
    Integer[] partitions = new Integer[n];
    Long[] nextOffsets = new Long[n];
    for (int i = 0; i < n; i++) {
      topics[i] = offsets.get(i).topic();
      partitions[i] = offsets.get(i).partition();
      nextOffsets[i] = offsets.get(i).nextOffset();
    }
    try (PreparedStatement statement = connection.prepareStatement(STORE_OFFSETS)) {
      statement.setString(1, consumerGroup);
      statement.setArray(2, connection.createArrayOf("text", topics));
      statement.setArray(3, connection.createArrayOf("int4", partitions));
      statement.setArray(4, connection.createArrayOf("int8", nextOffsets));
      statement.executeUpdate();
    }
  }

  @Override
  public Map<Integer, Long> storedOffsets(
      String consumerGroup, String topic, Collection<Integer> partitions) {
    Map<Integer, Long> stored = new HashMap<>();
    if (partitions.isEmpty()) {
      return stored;
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(READ_OFFSETS)) {
      statement.setString(1, consumerGroup);
      statement.setString(2, topic);
      statement.setArray(3, connection.createArrayOf("int4", partitions.toArray(new Integer[0])));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          stored.put(rows.getInt(1), rows.getLong(2));
        }
      }
      return stored;
    } catch (SQLException e) {
      throw SqlFailures.classify("reading the stored consumer offsets failed", e);
    }
  }

  @Override
  public int forgetEventsBefore(Instant cutoff, int limit) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(FORGET_EVENTS)) {
      statement.setTimestamp(1, Timestamp.from(cutoff));
      statement.setInt(2, limit);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw SqlFailures.classify("forgetting old event ids failed", e);
    }
  }

  private static UUID uuidOrNull(String value) {
    if (value.length() != 36) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }
}
