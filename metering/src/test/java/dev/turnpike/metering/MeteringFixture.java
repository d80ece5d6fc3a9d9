package dev.turnpike.metering;

import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;

/** Rows metering reads (tenant, plan, app, key) inserted as the schema owner, and events. */
public final class MeteringFixture {
  private final DataSource owner;

  public MeteringFixture(DataSource owner) {
    this.owner = owner;
  }

  /** A tenant with one plan (quota {@code quotaLimit} per DAY, null for none), app and key. */
  public Subscriber subscriber(Long quotaLimit, long quotaOffset, String period, Instant planAt) {
    UUID tenant = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    UUID plan = UUID.randomUUID();
    UUID app = UUID.randomUUID();
    UUID key = UUID.randomUUID();
    String slug = "t" + tenant.toString().substring(0, 8);
    execute("INSERT INTO tenants (id, slug, name) VALUES (?::uuid, ?, ?)", tenant, slug, slug);
    execute("INSERT INTO users (id, keycloak_subject) VALUES (?::uuid, ?)", user, "sub-" + user);
    execute(
        "INSERT INTO usage_plans (id, tenant_id, name, quota_limit, quota_period, quota_offset,"
            + " created_at) VALUES (?::uuid, ?::uuid, 'plan', ?, ?, ?, ?)",
        plan,
        tenant,
        quotaLimit,
        quotaLimit == null ? null : period,
        quotaOffset,
        Timestamp.from(planAt));
    execute(
        "INSERT INTO apps (id, tenant_id, owner_user_id, name) VALUES (?::uuid, ?::uuid, ?::uuid,"
            + " 'app')",
        app,
        tenant,
        user);
    execute(
        "INSERT INTO api_keys (id, tenant_id, app_id, key_hash, prefix) VALUES (?::uuid,"
            + " ?::uuid, ?::uuid, ?, ?)",
        key,
        tenant,
        app,
        sha(key),
        "tpk_" + key.toString().substring(0, 4));
    return new Subscriber(tenant.toString(), plan.toString(), app.toString(), key.toString());
  }

  /** Another key of the subscriber's app, calling under the same plan. */
  public Subscriber anotherKey(Subscriber subscriber) {
    UUID key = UUID.randomUUID();
    execute(
        "INSERT INTO api_keys (id, tenant_id, app_id, key_hash, prefix) VALUES (?::uuid,"
            + " ?::uuid, ?::uuid, ?, ?)",
        key,
        subscriber.tenantId(),
        subscriber.appId(),
        sha(key),
        "tpk_" + key.toString().substring(0, 4));
    return new Subscriber(
        subscriber.tenantId(), subscriber.planId(), subscriber.appId(), key.toString());
  }

  /** Makes the subscriber's plan count throttle and quota per subscription rather than per key. */
  public void countPerSubscription(Subscriber subscriber) {
    execute(
        "UPDATE usage_plans SET limit_scope = 'subscription' WHERE id = ?::uuid",
        subscriber.planId());
  }

  /** Who calls: ids as the gateway puts them in usage events. */
  public record Subscriber(String tenantId, String planId, String appId, String keyId) {
    public UsageEvent event(Instant at, int status, Outcome outcome, long latencyMicros) {
      return event(UUID.randomUUID(), at, status, outcome, latencyMicros);
    }

    public UsageEvent event(
        UUID eventId, Instant at, int status, Outcome outcome, long latencyMicros) {
      return UsageEvent.builder()
          .eventId(eventId)
          .tenantId(tenantId)
          .apiId("api-1")
          .stage("prod")
          .routeKey("GET /items")
          .keyId(keyId)
          .appId(appId)
          .planId(planId)
          .status(status)
          .outcome(outcome)
          .latencyMicros(latencyMicros)
          .bytesIn(10)
          .bytesOut(100)
          .timestamp(at)
          .nodeId("node-1")
          .build();
    }
  }

  public long queryLong(String sql, Object... args) {
    try (Connection connection = owner.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, args);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public java.util.List<String> queryStrings(String sql, Object... args) {
    try (Connection connection = owner.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, args);
      java.util.List<String> values = new java.util.ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          values.add(rows.getString(1));
        }
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public Timestamp queryTimestamp(String sql, Object... args) {
    try (Connection connection = owner.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, args);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getTimestamp(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public void execute(String sql, Object... args) {
    try (Connection connection = owner.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, args);
      statement.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void bind(PreparedStatement statement, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object arg = args[i];
      statement.setObject(i + 1, arg instanceof UUID uuid ? uuid.toString() : arg);
    }
  }

  private static String sha(UUID key) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(key.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
