package dev.turnpike.platform.postgres;

import dev.turnpike.platform.PlatformException;
import dev.turnpike.platform.PlatformSettings.DatabaseLogins;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL (zonky's embedded binaries) whose data folder lives in the platform's state
 * folder and is kept between runs, prepared for Turnpike: the database, its owner, and the
 * application, system, metering and portal-session logins in the roles the migrations grant to. The
 * control plane migrates the schema at its own start, as it would against any database.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts the server on {@code port} with its data in {@code dataDir} (created by {@code initdb}
   * on the first run only) and prepares {@code database}; idempotent across runs.
   */
  public static EmbeddedDatabase start(
      Path dataDir, int port, Path log, String database, DatabaseLogins logins) {
    EmbeddedPostgres postgres;
    try {
      Files.createDirectories(dataDir);
      Files.createDirectories(log.getParent());
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setServerConfig("listen_addresses", "localhost")
              .setPGStartupWait(Duration.ofSeconds(60))
              .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new PlatformException(
          "PostgreSQL did not start with its data in " + dataDir + ": " + e.getMessage(), e);
    }
    EmbeddedDatabase embedded = new EmbeddedDatabase(postgres);
    try {
      embedded.prepare(database, logins);
    } catch (SQLException e) {
      embedded.close();
      throw new PlatformException("cannot prepare database " + database + ": " + e.getMessage(), e);
    }
    return embedded;
  }

  private void prepare(String database, DatabaseLogins logins) throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      // The group roles, as V1 would create them; made here first so the logins can join them.
      createRoleIfMissing(connection, "turnpike_app", "NOLOGIN NOBYPASSRLS");
      createRoleIfMissing(connection, "turnpike_system", "NOLOGIN BYPASSRLS");
      createRoleIfMissing(connection, "turnpike_metering", "NOLOGIN BYPASSRLS");
      createRoleIfMissing(connection, "turnpike_portal_sessions", "NOLOGIN NOBYPASSRLS");
      createRoleIfMissing(
          connection, logins.ownerUser(), "LOGIN PASSWORD " + literal(logins.ownerPassword()));
      // BYPASSRLS is an attribute and not inherited through membership: the cross-tenant logins
      // (system, metering) carry it themselves.
      createRoleIfMissing(
          connection,
          logins.appUser(),
          "LOGIN PASSWORD " + literal(logins.appPassword()) + " IN ROLE turnpike_app");
      createRoleIfMissing(
          connection,
          logins.systemUser(),
          "LOGIN BYPASSRLS PASSWORD "
              + literal(logins.systemPassword())
              + " IN ROLE turnpike_system");
      createRoleIfMissing(
          connection,
          logins.meteringUser(),
          "LOGIN BYPASSRLS PASSWORD "
              + literal(logins.meteringPassword())
              + " IN ROLE turnpike_metering");
      // The portal's sessions-only login: row-level security keeps it to the portal's rows.
      createRoleIfMissing(
          connection,
          logins.portalSessionsUser(),
          "LOGIN NOBYPASSRLS PASSWORD "
              + literal(logins.portalSessionsPassword())
              + " IN ROLE turnpike_portal_sessions");
      if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
        statement.execute(
            "CREATE DATABASE " + identifier(database) + " OWNER " + identifier(logins.ownerUser()));
      }
    }
  }

  private static void createRoleIfMissing(Connection connection, String role, String options)
      throws SQLException {
    if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE ROLE " + identifier(role) + " " + options);
      }
    }
  }

  private static boolean exists(Connection connection, String sql, String name)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
    }
  }
}
