package dev.turnpike.controlplane.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Row-level security is what keeps one tenant's rows from another's, and it binds only a login that
 * cannot step around it: the control plane refuses to start on any other, naming the setting.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class ApplicationLoginTest {
  static final String PASSWORD = "login-test";

  static Map<String, String> asAppLogin(String user, String password) {
    return Map.of("TURNPIKE_DB_USER", user, "TURNPIKE_DB_PASSWORD", password);
  }

  /** A login of its own, made by the superuser; roles are shared by the test JVM's databases. */
  static String login(TestDatabase db, String attributes, String... grants) {
    String name = "tp_login_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute(db, "CREATE ROLE " + name + " LOGIN PASSWORD '" + PASSWORD + "' " + attributes);
    for (String grant : grants) {
      execute(db, "GRANT " + grant + " TO " + name);
    }
    return name;
  }

  static void execute(TestDatabase db, String sql) {
    try (Connection c = db.ownerDataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  @Nested
  class RefusedLogins {
    @Test
    void a_superuser_login_stops_start_up_with_a_message_naming_the_setting(TestDatabase db) {
      PGSimpleDataSource owner = (PGSimpleDataSource) db.ownerDataSource();
      String password = owner.getPassword() == null ? "" : owner.getPassword();

      assertThatThrownBy(
              () -> TestControlPlane.start(db, null, asAppLogin(owner.getUser(), password)))
          .hasMessageContaining("TURNPIKE_DB_USER")
          .hasMessageContaining(owner.getUser())
          .hasMessageContaining("superuser")
          .hasMessageContaining("row-level security");
    }

    @Test
    void a_login_with_bypassrls_is_refused(TestDatabase db) {
      String user = login(db, "BYPASSRLS", "turnpike_app");

      assertThatThrownBy(() -> TestControlPlane.start(db, null, asAppLogin(user, PASSWORD)))
          .hasMessageContaining("TURNPIKE_DB_USER")
          .hasMessageContaining("BYPASSRLS");
    }

    @Test
    void a_login_that_may_become_a_role_bypassing_row_level_security_is_refused(TestDatabase db) {
      String user = login(db, "", "turnpike_app", "turnpike_system");

      assertThatThrownBy(() -> TestControlPlane.start(db, null, asAppLogin(user, PASSWORD)))
          .hasMessageContaining("TURNPIKE_DB_USER")
          .hasMessageContaining("turnpike_system");
    }

    @Test
    void a_login_that_owns_a_table_is_refused(TestDatabase db) {
      String user = login(db, "", "turnpike_app");
      execute(db, "ALTER TABLE audit_log OWNER TO " + user);

      try {
        assertThatThrownBy(() -> TestControlPlane.start(db, null, asAppLogin(user, PASSWORD)))
            .hasMessageContaining("TURNPIKE_DB_USER")
            .hasMessageContaining("owns")
            .hasMessageContaining("audit_log");
      } finally {
        execute(db, "ALTER TABLE audit_log OWNER TO CURRENT_USER");
      }
    }
  }

  @Nested
  class AcceptedLogin {
    @Test
    void a_login_only_in_turnpike_app_starts(TestDatabase db) {
      try (TestControlPlane cp = TestControlPlane.start(db)) {
        assertThat(cp.controlPlane().port()).isPositive();
      }
    }
  }
}
