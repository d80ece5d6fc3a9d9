package dev.turnpike.controlplane.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.turnpike.migrations.SchemaMigrator;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's PostgreSQL access: the schema is migrated with the owner's credentials, then
 * the API works through a pool of the RLS-bound application login and the outbox relay through a
 * small pool of the cross-tenant system login. The owner's credentials are used for nothing else.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final HikariDataSource app;
  private final HikariDataSource system;
  private final DSLContext appDsl;
  private final DSLContext systemDsl;

  private Database(HikariDataSource app, HikariDataSource system) {
    this.app = app;
    this.system = system;
    this.appDsl = DSL.using(app, SQLDialect.POSTGRES);
    this.systemDsl = DSL.using(system, SQLDialect.POSTGRES);
  }

  /** Connection coordinates and credentials of the three logins. */
  public record Logins(
      String url,
      String ownerUser,
      String ownerPassword,
      String appUser,
      String appPassword,
      String systemUser,
      String systemPassword,
      int appPoolSize) {
    @Override
    public String toString() {
      return "Logins[url=" + url + ", app=" + appUser + ", system=" + systemUser + "]";
    }
  }

  /**
   * Migrates the schema, then opens the pools.
   *
   * @throws IllegalStateException when the application login could bypass row-level security
   */
  public static Database open(Logins logins) {
    PGSimpleDataSource owner = new PGSimpleDataSource();
    owner.setUrl(logins.url());
    owner.setUser(logins.ownerUser());
    owner.setPassword(logins.ownerPassword());
    var result = SchemaMigrator.migrate(owner);
    LOG.info(
        "schema at version {} ({} migrations applied now)",
        result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion,
        result.migrationsExecuted);
    HikariDataSource app =
        pool(
            "turnpike-app",
            logins.url(),
            logins.appUser(),
            logins.appPassword(),
            logins.appPoolSize());
    try {
      ApplicationLogin.requireBoundByRowLevelSecurity(app, logins.appUser());
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
    HikariDataSource system;
    try {
      system =
          pool("turnpike-system", logins.url(), logins.systemUser(), logins.systemPassword(), 2);
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
    return new Database(app, system);
  }

  private static HikariDataSource pool(
      String name, String url, String user, String password, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(Math.min(2, size));
    config.setAutoCommit(true);
    // Fails start-up at once when the login or the network is wrong.
    config.setInitializationFailTimeout(10_000);
    return new HikariDataSource(config);
  }

  /** The RLS-bound application role: every tenant-owned row needs a tenant scope. */
  public DSLContext app() {
    return appDsl;
  }

  /** The cross-tenant role; for the outbox relay only. */
  public DSLContext system() {
    return systemDsl;
  }

  public DataSource appDataSource() {
    return app;
  }

  @Override
  public void close() {
    app.close();
    system.close();
  }
}
