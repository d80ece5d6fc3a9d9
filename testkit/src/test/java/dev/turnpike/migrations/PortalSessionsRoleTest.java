package dev.turnpike.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The developer portal's session login (V41, role turnpike_portal_sessions) as an attacker who took
 * it from a portal host would use it: it reaches the portal's own rows of web_sessions and nothing
 * else — no tenant, user, key or console session.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
// The class's tests share one database: each uses session ids of its own.
class PortalSessionsRoleTest {
  private static final String PORTAL = "turnpike_portal";
  private static final String CONSOLE = "turnpike_console";

  @Test
  void the_portal_session_login_cannot_read_or_write_any_platform_table(TestDatabase db) {
    for (String sql :
        List.of(
            "SELECT * FROM tenants",
            "SELECT * FROM users",
            "SELECT * FROM api_keys",
            "SELECT * FROM apps",
            "SELECT * FROM audit_log",
            "SELECT * FROM outbox",
            "UPDATE tenants SET name = 'owned'",
            "INSERT INTO audit_log DEFAULT VALUES")) {
      assertThatThrownBy(() -> execute(db, sql))
          .as(sql)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void the_portal_role_is_granted_web_sessions_and_no_other_table(TestDatabase db) {
    List<String> tables =
        DSL.using(db.ownerDataSource(), SQLDialect.POSTGRES)
            .fetch(
                "SELECT DISTINCT table_name FROM information_schema.role_table_grants"
                    + " WHERE grantee = 'turnpike_portal_sessions'")
            .getValues(0, String.class);
    List<String> columns =
        DSL.using(db.ownerDataSource(), SQLDialect.POSTGRES)
            .fetch(
                "SELECT DISTINCT table_name FROM information_schema.column_privileges"
                    + " WHERE grantee = 'turnpike_portal_sessions'")
            .getValues(0, String.class);

    assertThat(tables).containsExactly("web_sessions");
    assertThat(columns).containsOnly("web_sessions");
  }

  @Test
  void the_portal_session_login_sees_and_writes_only_the_portal_site(TestDatabase db)
      throws Exception {
    ownerInsert(db, CONSOLE, "console-session");
    ownerInsert(db, PORTAL, "portal-session");

    assertThat(
            DSL.using(db.portalSessionsDataSource(), SQLDialect.POSTGRES)
                .fetch("SELECT site, id FROM web_sessions")
                .map(row -> row.get(0) + "/" + row.get(1)))
        .containsExactly(PORTAL + "/portal-session");
    execute(db, "UPDATE web_sessions SET data = '\\x00' WHERE id = 'console-session'");
    execute(db, "DELETE FROM web_sessions WHERE id = 'console-session'");
    assertThat(
            DSL.using(db.ownerDataSource(), SQLDialect.POSTGRES)
                .fetchValue("SELECT count(*) FROM web_sessions WHERE id = 'console-session'"))
        .as("the console's session untouched")
        .isEqualTo(1L);
    assertThatThrownBy(
            () ->
                execute(
                    db,
                    "INSERT INTO web_sessions (site, id, version, expires_at, data)"
                        + " VALUES ('turnpike_console', 'planted', 1, now() + interval '1 hour',"
                        + " '\\x00')"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("row-level security");
    assertThatThrownBy(
            () ->
                execute(
                    db,
                    "UPDATE web_sessions SET site = 'turnpike_console' WHERE id = 'portal-session'"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("row-level security");
  }

  @Test
  void the_application_role_still_keeps_the_console_sessions(TestDatabase db) throws Exception {
    ownerInsert(db, CONSOLE, "kept-by-the-console");

    assertThat(
            DSL.using(db.appDataSource(), SQLDialect.POSTGRES)
                .fetchValue("SELECT count(*) FROM web_sessions WHERE id = 'kept-by-the-console'"))
        .isEqualTo(1L);
  }

  private static void ownerInsert(TestDatabase db, String site, String id) throws SQLException {
    try (Connection connection = db.ownerDataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO web_sessions (site, id, version, expires_at, data) VALUES ('"
              + site
              + "', '"
              + id
              + "', 1, now() + interval '1 hour', '\\x00')");
    }
  }

  private static void execute(TestDatabase db, String sql) throws SQLException {
    try (Connection connection = db.portalSessionsDataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
