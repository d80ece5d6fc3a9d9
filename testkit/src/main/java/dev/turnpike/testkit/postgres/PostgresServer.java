package dev.turnpike.testkit.postgres;

import dev.turnpike.migrations.SchemaMigrator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One real PostgreSQL (embedded binaries) per test JVM. The schema is migrated once into a template
 * database; each test class gets a fresh copy of it, which takes milliseconds.
 */
final class PostgresServer implements AutoCloseable {
  static final String APP_LOGIN = "turnpike_app_login";
  static final String SYSTEM_LOGIN = "turnpike_system_login";
  static final String METERING_LOGIN = "turnpike_metering_login";
  static final String PORTAL_SESSIONS_LOGIN = "turnpike_portal_sessions_login";
  static final String PASSWORD = "test";
  private static final String TEMPLATE = "turnpike_template";

  private final EmbeddedPostgres postgres;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static PostgresServer start() {
    EmbeddedPostgres postgres;
    try {
      postgres = EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new IllegalStateException("embedded PostgreSQL did not start", e);
    }
    PostgresServer server = new PostgresServer(postgres);
    server.prepareTemplate();
    return server;
  }

  private void prepareTemplate() {
    execute(postgres.getPostgresDatabase(), "CREATE DATABASE " + TEMPLATE);
    SchemaMigrator.migrate(postgres.getDatabase("postgres", TEMPLATE));
    // Login roles as an operator would create them. BYPASSRLS is an attribute, not inherited
    // through membership, so the cross-tenant logins (system, metering) carry it themselves.
    execute(
        postgres.getPostgresDatabase(),
        "CREATE ROLE " + APP_LOGIN + " LOGIN PASSWORD '" + PASSWORD + "' IN ROLE turnpike_app",
        "CREATE ROLE "
            + SYSTEM_LOGIN
            + " LOGIN BYPASSRLS PASSWORD '"
            + PASSWORD
            + "' IN ROLE turnpike_system",
        "CREATE ROLE "
            + METERING_LOGIN
            + " LOGIN BYPASSRLS PASSWORD '"
            + PASSWORD
            + "' IN ROLE turnpike_metering",
        "CREATE ROLE "
            + PORTAL_SESSIONS_LOGIN
            + " LOGIN PASSWORD '"
            + PASSWORD
            + "' IN ROLE turnpike_portal_sessions");
  }

  TestDatabase newDatabase() {
    String name = "turnpike_test_" + databases.incrementAndGet();
    execute(postgres.getPostgresDatabase(), "CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
    return new TestDatabase(postgres, name);
  }

  static void execute(DataSource dataSource, String... statements) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test database setup failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
