package dev.turnpike.metering.quota.impl;

import dev.turnpike.contracts.config.LimitScope;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.QuotaWindow;
import dev.turnpike.metering.aggregation.KeyPlan;
import dev.turnpike.metering.aggregation.impl.SqlFailures;
import dev.turnpike.metering.quota.QuotaRule;
import dev.turnpike.metering.quota.QuotaStore;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/** Quota reads on PostgreSQL, as metering's cross-tenant login. */
public final class JdbcQuotaStore implements QuotaStore {

  private static final String RULES =
      """
      SELECT id, tenant_id, quota_limit, quota_offset, quota_period, created_at, limit_scope
      FROM usage_plans WHERE id = ANY (?::uuid[]) AND quota_limit IS NOT NULL
      """;

  // Day buckets serve every period (a month is at most 31 of them per row group), through the
  // (key_id, plan_id, granularity, bucket_start) index.
  private static final String USED =
      """
      SELECT v.i, (SELECT coalesce(sum(a.calls - a.throttled - a.quota_exceeded), 0)
                   FROM usage_aggregates a
                   WHERE a.key_id = v.key_id AND a.plan_id = v.plan_id AND a.granularity = 'day'
                     AND a.bucket_start >= to_timestamp(v.s) AND a.bucket_start < to_timestamp(v.e))
      FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[])
        WITH ORDINALITY AS v(key_id, plan_id, s, e, i)
      """;

  // A subscription's count: every key of the app under the plan, through the
  // (tenant_id, app_id, granularity, bucket_start) index.
  private static final String USED_BY_APP =
      """
      SELECT v.i, (SELECT coalesce(sum(a.calls - a.throttled - a.quota_exceeded), 0)
                   FROM usage_aggregates a
                   WHERE a.tenant_id = v.tenant_id AND a.app_id = v.app_id
                     AND a.plan_id = v.plan_id AND a.granularity = 'day'
                     AND a.bucket_start >= to_timestamp(v.s) AND a.bucket_start < to_timestamp(v.e))
      FROM unnest(?::uuid[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
        WITH ORDINALITY AS v(tenant_id, app_id, plan_id, s, e, i)
      """;

  private static final String USED_SINCE =
      """
      SELECT DISTINCT tenant_id, key_id, app_id, plan_id FROM usage_aggregates
      WHERE granularity = 'day' AND bucket_start >= ? AND key_id <> '' AND plan_id <> ''
      """;

  private final DataSource dataSource;

  public JdbcQuotaStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Map<String, QuotaRule> rules(Collection<String> planIds) {
    List<UUID> ids = new ArrayList<>();
    for (String planId : planIds) {
      try {
        ids.add(UUID.fromString(planId));
      } catch (IllegalArgumentException e) {
        // Not a plan this schema can hold: it has no quota.
      }
    }
    Map<String, QuotaRule> rules = new HashMap<>();
    if (ids.isEmpty()) {
      return rules;
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(RULES)) {
      statement.setArray(1, connection.createArrayOf("uuid", ids.toArray(new UUID[0])));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          String planId = rows.getObject(1, UUID.class).toString();
          rules.put(
              planId,
              new QuotaRule(
                  rows.getObject(2, UUID.class),
                  planId,
                  rows.getLong(3),
                  rows.getLong(4),
                  QuotaPeriod.valueOf(rows.getString(5)),
                  rows.getTimestamp(6).toInstant(),
                  rows.getString(7).equals("subscription")
                      ? LimitScope.SUBSCRIPTION
                      : LimitScope.KEY));
        }
      }
      return rules;
    } catch (SQLException e) {
      throw SqlFailures.classify("reading plan quotas failed", e);
    }
  }

  @Override
  public Map<KeyPlan, Long> used(Map<KeyPlan, QuotaWindow> windows) {
    Map<KeyPlan, QuotaWindow> keys = new HashMap<>();
    Map<KeyPlan, QuotaWindow> subscriptions = new HashMap<>();
    windows.forEach((k, w) -> (k.isSubscription() ? subscriptions : keys).put(k, w));
    Map<KeyPlan, Long> used = new HashMap<>();
    if (!keys.isEmpty()) {
      used.putAll(usedByKey(keys));
    }
    if (!subscriptions.isEmpty()) {
      used.putAll(usedByApp(subscriptions));
    }
    return used;
  }

  private Map<KeyPlan, Long> usedByApp(Map<KeyPlan, QuotaWindow> windows) {
    List<KeyPlan> order = new ArrayList<>(windows.keySet());
    int n = order.size();
    UUID[] tenants = new UUID[n];
    String[] apps = new String[n];
    String[] plans = new String[n];
    Long[] starts = new Long[n];
    Long[] ends = new Long[n];
    for (int i = 0; i < n; i++) {
      KeyPlan subscription = order.get(i);
      QuotaWindow window = windows.get(subscription);
      tenants[i] = subscription.tenantId();
      apps[i] = subscription.appId();
      plans[i] = subscription.planId();
      starts[i] = window.start().getEpochSecond();
      ends[i] = window.end().getEpochSecond();
    }
    Map<KeyPlan, Long> used = new HashMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(USED_BY_APP)) {
      statement.setArray(1, connection.createArrayOf("uuid", tenants));
      statement.setArray(2, connection.createArrayOf("text", apps));
      statement.setArray(3, connection.createArrayOf("text", plans));
      statement.setArray(4, connection.createArrayOf("int8", starts));
      statement.setArray(5, connection.createArrayOf("int8", ends));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          used.put(order.get(rows.getInt(1) - 1), rows.getLong(2));
        }
      }
      return used;
    } catch (SQLException e) {
      throw SqlFailures.classify("reading subscription quota usage failed", e);
    }
  }

  private Map<KeyPlan, Long> usedByKey(Map<KeyPlan, QuotaWindow> windows) {
    List<KeyPlan> order = new ArrayList<>(windows.keySet());
    int n = order.size();
    String[] keys = new String[n];
    String[] plans = new String[n];
    Long[] starts = new Long[n];
    Long[] ends = new Long[n];
    for (int i = 0; i < n; i++) {
      KeyPlan keyPlan = order.get(i);
      QuotaWindow window = windows.get(keyPlan);
      keys[i] = keyPlan.keyId();
      plans[i] = keyPlan.planId();
      starts[i] = window.start().getEpochSecond();
      ends[i] = window.end().getEpochSecond();
    }
    Map<KeyPlan, Long> used = new HashMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(USED)) {
      statement.setArray(1, connection.createArrayOf("text", keys));
      statement.setArray(2, connection.createArrayOf("text", plans));
      statement.setArray(3, connection.createArrayOf("int8", starts));
      statement.setArray(4, connection.createArrayOf("int8", ends));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          used.put(order.get(rows.getInt(1) - 1), rows.getLong(2));
        }
      }
      return used;
    } catch (SQLException e) {
      throw SqlFailures.classify("reading quota usage failed", e);
    }
  }

  @Override
  public Set<KeyPlan> usedSince(Instant since) {
    Set<KeyPlan> keyPlans = new HashSet<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(USED_SINCE)) {
      statement.setTimestamp(1, Timestamp.from(since));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          keyPlans.add(
              new KeyPlan(
                  rows.getObject(1, UUID.class),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getString(4)));
        }
      }
      return keyPlans;
    } catch (SQLException e) {
      throw SqlFailures.classify("reading the keys in use failed", e);
    }
  }
}
