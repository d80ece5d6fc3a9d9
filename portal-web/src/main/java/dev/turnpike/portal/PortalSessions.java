package dev.turnpike.portal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.turnpike.webkit.Blocking;
import dev.turnpike.webkit.session.PostgresSessionStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.sstore.LocalSessionStore;
import io.vertx.ext.web.sstore.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the portal keeps its sessions. With {@link PortalSettings.SessionDatabase} set, in
 * PostgreSQL through a login that reaches only the portal's rows of {@code web_sessions} (migration
 * V41), so every instance serves every session and a restart signs no one out; the portal still
 * reads no platform data but through the control plane's API. Without it, in this process's memory.
 */
final class PortalSessions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PortalSessions.class);

  private final SessionStore store;
  private final HikariDataSource pool;
  private final Blocking blocking;

  private PortalSessions(SessionStore store, HikariDataSource pool, Blocking blocking) {
    this.store = store;
    this.pool = pool;
    this.blocking = blocking;
  }

  static PortalSessions open(Vertx vertx, PortalSettings.SessionDatabase database, String site) {
    if (database == null) {
      LOG.info(
          "sessions are kept in this process's memory (TURNPIKE_PORTAL_SESSION_DB_URL is not set):"
              + " a restart signs everyone out and each portal instance has its own sessions");
      return new PortalSessions(LocalSessionStore.create(vertx, site), null, null);
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("turnpike-portal-sessions");
    config.setJdbcUrl(database.jdbcUrl());
    config.setUsername(database.user());
    config.setPassword(database.password());
    // One statement per request at most, each short: a small pool is plenty.
    config.setMaximumPoolSize(8);
    config.setConnectionTimeout(5_000);
    // Start while PostgreSQL is away: pages without a session still answer, and sessions work
    // once it is back.
    config.setInitializationFailTimeout(-1);
    HikariDataSource pool = new HikariDataSource(config);
    Blocking blocking = new Blocking("portal-sessions-");
    LOG.info("sessions are kept in PostgreSQL as {}", database.user());
    return new PortalSessions(
        PostgresSessionStore.create(vertx, pool, blocking, site), pool, blocking);
  }

  SessionStore store() {
    return store;
  }

  @Override
  public void close() {
    store.close();
    if (blocking != null) {
      blocking.close();
    }
    if (pool != null) {
      pool.close();
    }
  }
}
