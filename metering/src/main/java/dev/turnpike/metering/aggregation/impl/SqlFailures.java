package dev.turnpike.metering.aggregation.impl;

import dev.turnpike.metering.aggregation.StoreFailure;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Sorts PostgreSQL errors into the ones a retry can cure and the ones it cannot. */
public final class SqlFailures {
  private SqlFailures() {}

  public static StoreFailure classify(String what, SQLException e) {
    return new StoreFailure(what + ": " + e.getMessage(), retryable(e), e);
  }

  static boolean retryable(SQLException e) {
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return true;
    }
    String state = e.getSQLState();
    if (state == null) {
      // The driver reports an I/O failure without a state when the connection breaks mid-call.
      return e.getCause() instanceof java.io.IOException;
    }
    return state.startsWith("08") // connection exception
        || state.startsWith("40") // serialization failure, deadlock
        || state.startsWith("53") // insufficient resources
        || state.startsWith("57") // operator intervention: shutdown, cancel
        || state.startsWith("58") // system error (I/O)
        || state.equals("55P03"); // lock not available
  }
}
