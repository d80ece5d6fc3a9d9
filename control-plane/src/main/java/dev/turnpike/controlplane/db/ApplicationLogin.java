package dev.turnpike.controlplane.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Refuses an application login that row-level security would not bind. Tenant isolation in the
 * database rests on it: a superuser or a {@code BYPASSRLS} role reads every tenant's rows, and a
 * table's owner may switch its policies off. A login that may become such a role ({@code SET ROLE})
 * is as good as one, so roles reached through membership count too.
 */
final class ApplicationLogin {
  static final String SETTING = "TURNPIKE_DB_USER";

  private static final String BYPASSING_ROLES =
      """
      SELECT r.rolname, r.rolsuper, r.rolbypassrls, r.rolname = current_user
      FROM pg_roles r
      WHERE (r.rolsuper OR r.rolbypassrls) AND pg_has_role(current_user, r.oid, 'MEMBER')
      ORDER BY r.rolname = current_user DESC, r.rolname
      """;

  private static final String OWNED_TABLES =
      """
      SELECT n.nspname || '.' || c.relname
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_toast%'
        AND pg_has_role(current_user, c.relowner, 'MEMBER')
      ORDER BY 1
      LIMIT 5
      """;

  private ApplicationLogin() {}

  /**
   * @throws IllegalStateException naming {@value #SETTING} and what lets the login bypass row-level
   *     security
   */
  static void requireBoundByRowLevelSecurity(DataSource app, String user) {
    String why;
    try (Connection connection = app.getConnection()) {
      why = bypass(connection);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not check the privileges of " + SETTING + " '" + user + "': " + e.getMessage(), e);
    }
    if (why != null) {
      throw new IllegalStateException(
          SETTING
              + " '"
              + user
              + "' can bypass row-level security ("
              + why
              + "), which keeps tenants' rows apart. Use a login that is only a member of role"
              + " turnpike_app: no SUPERUSER, no BYPASSRLS, owning no table, and not a member of a"
              + " role that is or does any of these. The cross-tenant login belongs in"
              + " TURNPIKE_DB_SYSTEM_USER, the schema owner in TURNPIKE_DB_OWNER_USER.");
    }
  }

  /** What lets the connection's login step around row-level security, or null. */
  private static String bypass(Connection connection) throws SQLException {
    List<String> reasons = new ArrayList<>();
    try (PreparedStatement roles = connection.prepareStatement(BYPASSING_ROLES);
        ResultSet rows = roles.executeQuery()) {
      // The login's own attribute says it all; otherwise the first few roles it may become.
      while (rows.next() && reasons.size() < 3) {
        String attribute = rows.getBoolean(2) ? "a superuser" : "a role with BYPASSRLS";
        reasons.add(
            rows.getBoolean(4)
                ? "it is " + attribute
                : "it may become role " + rows.getString(1) + ", " + attribute);
        if (rows.getBoolean(4)) {
          break;
        }
      }
    }
    if (!reasons.isEmpty()) {
      return String.join("; ", reasons);
    }
    List<String> owned = new ArrayList<>();
    try (PreparedStatement tables = connection.prepareStatement(OWNED_TABLES);
        ResultSet rows = tables.executeQuery()) {
      while (rows.next()) {
        owned.add(rows.getString(1));
      }
    }
    return owned.isEmpty() ? null : "it owns, or may act as the owner of, " + owned;
  }
}
