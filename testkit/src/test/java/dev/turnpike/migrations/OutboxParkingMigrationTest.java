package dev.turnpike.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * V10 on a database that already has outbox rows, migrated by a schema owner that is not a
 * superuser (as in production), so row-level security applies to it: the rows still waiting learn
 * their deployment, the others are left alone, and security is forced again afterwards.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class OutboxParkingMigrationTest {
  static final UUID TENANT = UUID.randomUUID();
  static final UUID PENDING_DEPLOYMENT = UUID.randomUUID();

  @Test
  void pending_deployment_rows_learn_their_deployment_and_row_security_stays_forced(TestDatabase db)
      throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String database = "v10_" + suffix;
    String owner = "v10_owner_" + suffix;
    try (Connection connection = db.ownerDataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
      statement.execute("CREATE ROLE " + owner + " LOGIN NOSUPERUSER NOBYPASSRLS");
    }
    PGSimpleDataSource superuser = dataSource(db, database, "postgres");
    try (Connection connection = superuser.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER SCHEMA public OWNER TO " + owner);
    }
    PGSimpleDataSource schemaOwner = dataSource(db, database, owner);
    migrate(schemaOwner, "9");
    Map<String, Long> rows = seed(schemaOwner);

    migrate(schemaOwner, "latest");

    var read = DSL.using(superuser, SQLDialect.POSTGRES);
    assertThat(deploymentOf(read, rows.get("pending"))).isEqualTo(PENDING_DEPLOYMENT);
    assertThat(deploymentOf(read, rows.get("sent"))).isNull();
    assertThat(deploymentOf(read, rows.get("not json"))).isNull();
    assertThat(deploymentOf(read, rows.get("key"))).isNull();
    assertThat(
            read.fetchOne("select relforcerowsecurity from pg_class where relname = 'outbox'")
                .get(0, Boolean.class))
        .isTrue();
  }

  static PGSimpleDataSource dataSource(TestDatabase db, String database, String user) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(db.jdbcUrl().replace(db.name(), database));
    source.setUser(user);
    return source;
  }

  static void migrate(DataSource source, String target) {
    Flyway.configure(SchemaMigrator.class.getClassLoader())
        .dataSource(source)
        .locations("classpath:db/migration")
        .target(target)
        .load()
        .migrate();
  }

  /** Rows as V9 left them, written in the tenant's scope as the application writes them. */
  static Map<String, Long> seed(DataSource source) throws Exception {
    try (Connection connection = source.getConnection()) {
      try (PreparedStatement scope =
          connection.prepareStatement("select set_config('turnpike.tenant_id', ?, false)")) {
        scope.setString(1, TENANT.toString());
        scope.execute();
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "insert into tenants (id, slug, name) values ('" + TENANT + "', 'upgrade', 'Upgrade')");
      }
      return Map.of(
          "pending",
          insert(connection, "turnpike.config.deployments", snapshot(PENDING_DEPLOYMENT), false),
          "sent",
          insert(connection, "turnpike.config.deployments", snapshot(UUID.randomUUID()), true),
          "not json",
          insert(connection, "turnpike.config.deployments", "not json", false),
          "key",
          insert(connection, "turnpike.config.keys", snapshot(UUID.randomUUID()), false));
    }
  }

  static String snapshot(UUID deployment) {
    return "{\"schemaVersion\":1,\"deploymentId\":\"" + deployment + "\",\"routes\":[]}";
  }

  static long insert(Connection connection, String topic, String payload, boolean sent)
      throws Exception {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into outbox (tenant_id, topic, message_key, payload, sent_at)"
                + " values (?, ?, 'k', ?, case when ? then now() end) returning id")) {
      insert.setObject(1, TENANT);
      insert.setString(2, topic);
      insert.setBytes(3, payload.getBytes(StandardCharsets.UTF_8));
      insert.setBoolean(4, sent);
      try (var result = insert.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  static UUID deploymentOf(org.jooq.DSLContext read, long id) {
    return read.fetchOne("select deployment_id from outbox where id = " + id).get(0, UUID.class);
  }
}
