package dev.turnpike.testkit.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A freshly migrated database of its own for one test class, reachable as the schema owner, as the
 * RLS-bound application role, as the cross-tenant system role and as metering's role.
 */
public final class TestDatabase {
  private final EmbeddedPostgres postgres;
  private final String name;

  TestDatabase(EmbeddedPostgres postgres, String name) {
    this.postgres = postgres;
    this.name = name;
  }

  public String name() {
    return name;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name;
  }

  public int port() {
    return postgres.getPort();
  }

  /** The schema owner (a superuser here): for setup and assertions only, RLS does not bind it. */
  public DataSource ownerDataSource() {
    return postgres.getDatabase("postgres", name);
  }

  /** The application role: row-level security applies. */
  public DataSource appDataSource() {
    return login(PostgresServer.APP_LOGIN);
  }

  /** The control plane's cross-tenant workers' role (outbox relay, sign-in): bypasses RLS. */
  public DataSource systemDataSource() {
    return login(PostgresServer.SYSTEM_LOGIN);
  }

  /** Metering's role: bypasses RLS, and reaches only the tables metering reads and writes (V19). */
  public DataSource meteringDataSource() {
    return login(PostgresServer.METERING_LOGIN);
  }

  /** The developer portal's session store: its site's rows of {@code web_sessions} only (V41). */
  public DataSource portalSessionsDataSource() {
    return login(PostgresServer.PORTAL_SESSIONS_LOGIN);
  }

  /** The portal's session login's user name and password, for a portal's own settings. */
  public String portalSessionsUser() {
    return PostgresServer.PORTAL_SESSIONS_LOGIN;
  }

  public String password() {
    return PostgresServer.PASSWORD;
  }

  public DSLContext ownerDsl() {
    return DSL.using(ownerDataSource(), SQLDialect.POSTGRES);
  }

  public DSLContext appDsl() {
    return DSL.using(appDataSource(), SQLDialect.POSTGRES);
  }

  public DSLContext systemDsl() {
    return DSL.using(systemDataSource(), SQLDialect.POSTGRES);
  }

  public DSLContext meteringDsl() {
    return DSL.using(meteringDataSource(), SQLDialect.POSTGRES);
  }

  private DataSource login(String user) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(jdbcUrl());
    dataSource.setUser(user);
    dataSource.setPassword(PostgresServer.PASSWORD);
    return dataSource;
  }
}
