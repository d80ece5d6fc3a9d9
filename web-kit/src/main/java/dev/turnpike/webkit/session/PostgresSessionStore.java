package dev.turnpike.webkit.session;

import dev.turnpike.webkit.Blocking;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.ext.web.sstore.impl.SharedDataSessionImpl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions in PostgreSQL (table {@code web_sessions}), so that every instance of a site sees the
 * same sessions and a restart loses none. A session is stored in Vert.x's own encoding (the one its
 * clustered store uses) and carries a version: a write made from an older copy than the stored one
 * is refused, as Vert.x's clustered store refuses it, so two instances serving one browser at once
 * cannot silently undo each other, and a request in flight cannot bring back a session another
 * instance ended. Statements run on {@link Blocking}'s virtual threads, never on an event loop.
 * Expired sessions are read as absent at once and deleted by a timer, a bounded batch at a time.
 */
public final class PostgresSessionStore implements SessionStore {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresSessionStore.class);

  private final Vertx vertx;
  private final DataSource database;
  private final Blocking blocking;
  private final String site;
  private final int pruneBatch;
  private final VertxContextPRNG random;
  private final long pruneTimer;

  private PostgresSessionStore(
      Vertx vertx,
      DataSource database,
      Blocking blocking,
      String site,
      Duration pruneEvery,
      int pruneBatch) {
    this.vertx = vertx;
    this.database = database;
    this.blocking = blocking;
    this.site = site;
    this.pruneBatch = pruneBatch;
    this.random = VertxContextPRNG.current(vertx);
    this.pruneTimer = vertx.setPeriodic(pruneEvery.toMillis(), id -> pruneExpired());
  }

  /**
   * @param site the sessions' name space, the site's cookie name
   * @param pruneEvery how often expired sessions are deleted
   * @param pruneBatch at most how many expired sessions one statement deletes
   */
  public static PostgresSessionStore create(
      Vertx vertx,
      DataSource database,
      Blocking blocking,
      String site,
      Duration pruneEvery,
      int pruneBatch) {
    if (pruneEvery.isNegative() || pruneEvery.isZero() || pruneBatch < 1) {
      throw new IllegalArgumentException("pruning needs a positive period and batch");
    }
    return new PostgresSessionStore(vertx, database, blocking, site, pruneEvery, pruneBatch);
  }

  /** Every minute, up to a thousand expired sessions per statement. */
  public static PostgresSessionStore create(
      Vertx vertx, DataSource database, Blocking blocking, String site) {
    return create(vertx, database, blocking, site, Duration.ofMinutes(1), 1_000);
  }

  /** Configured by its factory, not by Vert.x's options. */
  @Override
  public SessionStore init(Vertx vertx, JsonObject options) {
    return this;
  }

  /**
   * No waiting for a session that is not there: a committed write is visible to every instance at
   * once, unlike a cluster map's, so an unknown id is unknown (and retrying it would let a stranger
   * with made-up cookies multiply the queries).
   */
  @Override
  public long retryTimeout() {
    return 0;
  }

  @Override
  public Session createSession(long timeout) {
    return createSession(timeout, DEFAULT_SESSIONID_LENGTH);
  }

  @Override
  public Session createSession(long timeout, int length) {
    return new StoredSession(random, timeout, length);
  }

  @Override
  public Future<Session> get(String id) {
    return run(
        () -> {
          byte[] data =
              query(
                  "SELECT data FROM web_sessions WHERE site = ? AND id = ? AND expires_at > ?",
                  statement -> {
                    statement.setString(1, site);
                    statement.setString(2, id);
                    statement.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
                    try (ResultSet rows = statement.executeQuery()) {
                      return rows.next() ? rows.getBytes(1) : null;
                    }
                  });
          if (data == null) {
            return null;
          }
          StoredSession session = new StoredSession(random);
          session.readFromBuffer(0, Buffer.buffer(data));
          session.stored = true;
          return session;
        });
  }

  @Override
  public Future<Void> delete(String id) {
    return run(
        () -> {
          update(
              "DELETE FROM web_sessions WHERE site = ? AND id = ?",
              statement -> {
                statement.setString(1, site);
                statement.setString(2, id);
              });
          return null;
        });
  }

  /**
   * Inserts a session stored for the first time (new, or under a new id after a rotation), else
   * updates it if the stored version is still the one it was read at. Vert.x counts a version only
   * when the attributes change, so a request that only renews the idle timeout conflicts with no
   * one, while one that changes attributes after another instance changed them is refused.
   */
  @Override
  public Future<Void> put(Session session) {
    StoredSession stored = (StoredSession) session;
    int readAt = stored.version();
    boolean first = !stored.stored || stored.isRegenerated();
    stored.incrementVersion();
    Buffer encoded = Buffer.buffer();
    stored.writeToBuffer(encoded);
    byte[] data = encoded.getBytes();
    Timestamp expiresAt = new Timestamp(stored.lastAccessed() + stored.timeout());
    String id = stored.id();
    int version = stored.version();
    return run(
        () -> {
          int written =
              first
                  ? update(
                      "INSERT INTO web_sessions (site, id, version, expires_at, data)"
                          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (site, id) DO NOTHING",
                      statement -> {
                        statement.setString(1, site);
                        statement.setString(2, id);
                        statement.setInt(3, version);
                        statement.setTimestamp(4, expiresAt);
                        statement.setBytes(5, data);
                      })
                  : update(
                      "UPDATE web_sessions SET version = ?, expires_at = ?, data = ?"
                          + " WHERE site = ? AND id = ? AND version = ?",
                      statement -> {
                        statement.setInt(1, version);
                        statement.setTimestamp(2, expiresAt);
                        statement.setBytes(3, data);
                        statement.setString(4, site);
                        statement.setString(5, id);
                        statement.setInt(6, readAt);
                      });
          if (written == 0) {
            throw new IllegalStateException(
                "Session version mismatch: the session changed or ended since it was read");
          }
          stored.stored = true;
          return null;
        });
  }

  @Override
  public Future<Void> clear() {
    return run(
        () -> {
          update(
              "DELETE FROM web_sessions WHERE site = ?", statement -> statement.setString(1, site));
          return null;
        });
  }

  /** The sessions that have not expired. */
  @Override
  public Future<Integer> size() {
    return run(
        () ->
            query(
                "SELECT count(*) FROM web_sessions WHERE site = ? AND expires_at > ?",
                statement -> {
                  statement.setString(1, site);
                  statement.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
                  try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                  }
                }));
  }

  /**
   * Deletes expired sessions, a batch per statement, until a batch comes back short; returns how
   * many. Each statement holds its locks only for its own batch, however many sessions expired.
   */
  public Future<Integer> pruneExpired() {
    return run(() -> {
          int total = 0;
          int deleted;
          do {
            deleted =
                update(
                    "DELETE FROM web_sessions WHERE site = ? AND id IN (SELECT id FROM web_sessions"
                        + " WHERE site = ? AND expires_at <= ? ORDER BY expires_at LIMIT ?"
                        + " FOR UPDATE SKIP LOCKED)",
                    statement -> {
                      statement.setString(1, site);
                      statement.setString(2, site);
                      statement.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
                      statement.setInt(4, pruneBatch);
                    });
            total += deleted;
          } while (deleted == pruneBatch);
          return total;
        })
        .onFailure(e -> LOG.warn("could not delete expired {} sessions: {}", site, e.getMessage()));
  }

  @Override
  public void close() {
    vertx.cancelTimer(pruneTimer);
  }

  private <T> Future<T> run(java.util.concurrent.Callable<T> work) {
    return blocking.run(vertx.getOrCreateContext(), work);
  }

  private <T> T query(String sql, Statement<T> work) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      return work.apply(statement);
    }
  }

  private int update(String sql, Binding binding) throws SQLException {
    return query(
        sql,
        statement -> {
          binding.bind(statement);
          return statement.executeUpdate();
        });
  }

  /** Vert.x's session, knowing whether it has a row yet. */
  private static final class StoredSession extends SharedDataSessionImpl {
    private volatile boolean stored;

    StoredSession(VertxContextPRNG random) {
      super(random);
    }

    StoredSession(VertxContextPRNG random, long timeout, int length) {
      super(random, timeout, length);
    }
  }

  @FunctionalInterface
  private interface Statement<T> {
    T apply(PreparedStatement statement) throws SQLException;
  }

  @FunctionalInterface
  private interface Binding {
    void bind(PreparedStatement statement) throws SQLException;
  }
}
