package dev.turnpike.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedPostgresExtension.class)
class SchemaMigrationTest {

  @Test
  void migrations_apply_to_an_empty_database_and_a_second_run_changes_nothing(TestDatabase db)
      throws Exception {
    try (Connection connection = db.ownerDataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE empty_for_migration");
    }
    var empty = new org.postgresql.ds.PGSimpleDataSource();
    empty.setUrl(db.jdbcUrl().replace(db.name(), "empty_for_migration"));
    empty.setUser("postgres");

    MigrateResult first = SchemaMigrator.migrate(empty);
    MigrateResult second = SchemaMigrator.migrate(empty);

    assertThat(first.success).isTrue();
    assertThat(first.migrationsExecuted).isGreaterThanOrEqualTo(5);
    assertThat(second.migrationsExecuted).isZero();
    var tables =
        DSL.using(empty, org.jooq.SQLDialect.POSTGRES)
            .fetch("select table_name from information_schema.tables where table_schema = 'public'")
            .getValues(0, String.class);
    assertThat(tables)
        .contains(
            "tenants",
            "users",
            "tenant_members",
            "apis",
            "routes",
            "integrations",
            "stages",
            "deployments",
            "usage_plans",
            "plan_price_tiers",
            "plan_stages",
            "plan_method_throttles",
            "apps",
            "subscriptions",
            "api_keys",
            "outbox",
            "usage_aggregates",
            "consumer_offsets",
            "processed_events",
            "invoices",
            "invoice_lines",
            "stripe_links",
            "stripe_webhook_events",
            "audit_log");
  }

  @Test
  void every_tenant_owned_table_has_forced_row_level_security(TestDatabase db) {
    var unprotected =
        db.ownerDsl()
            .fetchValues(
                """
                select c.relname from pg_class c
                join information_schema.columns col
                  on col.table_name = c.relname and col.column_name = 'tenant_id'
                     and col.table_schema = 'public'
                where c.relkind = 'r' and not (c.relrowsecurity and c.relforcerowsecurity)
                """);
    assertThat(unprotected).isEmpty();
  }

  @Test
  void the_application_role_neither_owns_tables_nor_bypasses_rls(TestDatabase db) {
    var role =
        db.ownerDsl()
            .fetchOne("select rolsuper, rolbypassrls from pg_roles where rolname = 'turnpike_app'");
    assertThat(role).isNotNull();
    assertThat(role.get(0, Boolean.class)).isFalse();
    assertThat(role.get(1, Boolean.class)).isFalse();
    var owned =
        db.ownerDsl()
            .fetchValues(
                "select tablename from pg_tables where schemaname = 'public'"
                    + " and tableowner in ('turnpike_app', 'turnpike_app_login')");
    assertThat(owned).isEmpty();
  }
}
