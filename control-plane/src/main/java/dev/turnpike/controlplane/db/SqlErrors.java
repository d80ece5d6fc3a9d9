package dev.turnpike.controlplane.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jooq.exception.DataAccessException;

/** Classifies PostgreSQL errors by SQLSTATE. */
public final class SqlErrors {
  private SqlErrors() {}

  public static String sqlState(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return error instanceof DataAccessException dae ? dae.sqlState() : null;
  }

  public static boolean isUniqueViolation(Throwable error) {
    return "23505".equals(sqlState(error));
  }

  public static boolean isForeignKeyViolation(Throwable error) {
    return "23503".equals(sqlState(error));
  }

  /**
   * The pool had no connection to give within its timeout (HikariCP's {@link
   * SQLTransientConnectionException}): every connection was busy, or the database could not be
   * reached. Either way the request did nothing and may be tried again.
   */
  public static boolean isConnectionUnavailable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
    }
    return false;
  }
}
