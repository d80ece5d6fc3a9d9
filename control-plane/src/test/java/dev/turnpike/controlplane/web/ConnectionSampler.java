package dev.turnpike.controlplane.web;

import dev.turnpike.testkit.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Counts the connections to the benchmark's database once a second from {@code pg_stat_activity},
 * through a connection of its own (the superuser's, which sees every session's state), not counted.
 */
final class ConnectionSampler implements AutoCloseable {
  /**
   * The highest counts seen: every connection, those of the app login, those running a statement
   * (active), and those of the app login in a transaction (active or idle in transaction: lent out
   * by the pool).
   */
  record Peaks(int samples, int open, int appOpen, int active, int appInTransaction) {}

  private static final String COUNT =
      """
      select count(*),
             count(*) filter (where usename = ?),
             count(*) filter (where state = 'active'),
             count(*) filter (where state in ('active', 'idle in transaction') and usename = ?)
        from pg_stat_activity
       where datname = ? and pid <> pg_backend_pid()
      """;

  private final Connection connection;
  private final PreparedStatement count;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
  private int samples;
  private int open;
  private int appOpen;
  private int active;
  private int appInTransaction;
  private SQLException failure;

  ConnectionSampler(TestDatabase db) throws SQLException {
    this.connection = db.ownerDataSource().getConnection();
    String appUser = ((org.postgresql.ds.PGSimpleDataSource) db.appDataSource()).getUser();
    this.count = connection.prepareStatement(COUNT);
    count.setString(1, appUser);
    count.setString(2, appUser);
    count.setString(3, db.name());
  }

  void start() {
    timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
  }

  /** Stops sampling and returns the peaks, or throws what made a sample fail. */
  Peaks stop() throws SQLException, InterruptedException {
    timer.shutdown();
    if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the connection sampler did not stop");
    }
    synchronized (this) {
      if (failure != null) {
        throw failure;
      }
      return new Peaks(samples, open, appOpen, active, appInTransaction);
    }
  }

  private synchronized void sample() {
    try (ResultSet row = count.executeQuery()) {
      row.next();
      samples++;
      open = Math.max(open, row.getInt(1));
      appOpen = Math.max(appOpen, row.getInt(2));
      active = Math.max(active, row.getInt(3));
      appInTransaction = Math.max(appInTransaction, row.getInt(4));
    } catch (SQLException e) {
      failure = e;
      timer.shutdown();
    }
  }

  @Override
  public void close() throws SQLException {
    timer.shutdownNow();
    connection.close();
  }
}
