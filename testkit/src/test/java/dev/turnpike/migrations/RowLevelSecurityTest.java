package dev.turnpike.migrations;

import static dev.turnpike.db.Tables.APIS;
import static dev.turnpike.db.Tables.AUDIT_LOG;
import static dev.turnpike.db.Tables.TENANTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RowLevelSecurityTest {
  static final UUID TENANT_A = UUID.fromString("aaaaaaaa-0000-0000-0000-000000000001");
  static final UUID TENANT_B = UUID.fromString("bbbbbbbb-0000-0000-0000-000000000002");
  static final UUID API_A = UUID.fromString("aaaaaaaa-0000-0000-0000-0000000000a1");

  DSLContext app;

  @BeforeAll
  void seed_two_tenants_as_the_schema_owner(TestDatabase db) {
    DSLContext owner = db.ownerDsl();
    owner
        .insertInto(TENANTS, TENANTS.ID, TENANTS.SLUG, TENANTS.NAME)
        .values(TENANT_A, "acme", "Acme")
        .values(TENANT_B, "globex", "Globex")
        .execute();
    owner
        .insertInto(APIS, APIS.ID, APIS.TENANT_ID, APIS.SLUG, APIS.NAME)
        .values(API_A, TENANT_A, "pets", "Pets")
        .execute();
    owner
        .insertInto(
            AUDIT_LOG,
            AUDIT_LOG.TENANT_ID,
            AUDIT_LOG.ACTOR,
            AUDIT_LOG.ACTION,
            AUDIT_LOG.ENTITY_TYPE)
        .values(TENANT_A, "seed", "create", "api")
        .execute();
    app = db.appDsl();
  }

  @Nested
  class Reading {
    @Test
    void tenant_b_cannot_see_tenant_a_rows() {
      int apis = TenantTransactions.inTenant(app, TENANT_B, c -> DSL.using(c).fetchCount(APIS));
      int tenants =
          TenantTransactions.inTenant(app, TENANT_B, c -> DSL.using(c).fetchCount(TENANTS));
      assertThat(apis).isZero();
      assertThat(tenants).isEqualTo(1);
    }

    @Test
    void tenant_a_sees_its_own_rows() {
      var slugs =
          TenantTransactions.inTenant(
              app, TENANT_A, c -> DSL.using(c).select(APIS.SLUG).from(APIS).fetch(APIS.SLUG));
      assertThat(slugs).containsExactly("pets");
    }

    @Test
    void without_a_tenant_scope_nothing_is_visible() {
      assertThat(app.fetchCount(APIS)).isZero();
      assertThat(app.fetchCount(TENANTS)).isZero();
    }

    @Test
    void the_scope_ends_with_its_transaction() {
      TenantTransactions.inTenant(app, TENANT_A, c -> DSL.using(c).fetchCount(APIS));
      assertThat(app.fetchCount(APIS)).isZero();
    }
  }

  @Nested
  class Writing {
    @Test
    void tenant_b_cannot_insert_rows_for_tenant_a() {
      assertThatThrownBy(
              () ->
                  TenantTransactions.inTenant(
                      app,
                      TENANT_B,
                      c ->
                          DSL.using(c)
                              .insertInto(APIS, APIS.ID, APIS.TENANT_ID, APIS.SLUG, APIS.NAME)
                              .values(UUID.randomUUID(), TENANT_A, "stolen", "Stolen")
                              .execute()))
          .isInstanceOf(DataAccessException.class)
          .hasMessageContaining("row-level security");
    }

    @Test
    void tenant_b_cannot_update_or_delete_tenant_a_rows() {
      int updated =
          TenantTransactions.inTenant(
              app,
              TENANT_B,
              c ->
                  DSL.using(c)
                      .update(APIS)
                      .set(APIS.NAME, "Hijacked")
                      .where(APIS.ID.eq(API_A))
                      .execute());
      int deleted =
          TenantTransactions.inTenant(
              app, TENANT_B, c -> DSL.using(c).deleteFrom(APIS).where(APIS.ID.eq(API_A)).execute());
      assertThat(updated).isZero();
      assertThat(deleted).isZero();
      String name =
          TenantTransactions.inTenant(
              app,
              TENANT_A,
              c ->
                  DSL.using(c)
                      .select(APIS.NAME)
                      .from(APIS)
                      .where(APIS.ID.eq(API_A))
                      .fetchOne(APIS.NAME));
      assertThat(name).isEqualTo("Pets");
    }

    @Test
    void tenant_a_cannot_move_its_row_to_tenant_b() {
      assertThatThrownBy(
              () ->
                  TenantTransactions.inTenant(
                      app,
                      TENANT_A,
                      c ->
                          DSL.using(c)
                              .update(APIS)
                              .set(APIS.TENANT_ID, TENANT_B)
                              .where(APIS.ID.eq(API_A))
                              .execute()))
          .isInstanceOf(DataAccessException.class);
    }

    @Test
    void the_audit_log_is_append_only_for_the_application() {
      assertThatThrownBy(
              () ->
                  TenantTransactions.inTenant(
                      app, TENANT_A, c -> DSL.using(c).deleteFrom(AUDIT_LOG).execute()))
          .isInstanceOf(DataAccessException.class)
          .hasMessageContaining("permission denied");
    }

    @Test
    void the_application_cannot_switch_row_level_security_off() {
      assertThatThrownBy(() -> app.execute("ALTER TABLE apis DISABLE ROW LEVEL SECURITY"))
          .isInstanceOf(DataAccessException.class)
          .hasMessageContaining("must be owner");
    }
  }

  @Nested
  class SystemRole {
    @Test
    void cross_tenant_workers_see_every_tenant(TestDatabase db) {
      assertThat(db.systemDsl().fetchCount(TENANTS)).isEqualTo(2);
      assertThat(db.systemDsl().fetchCount(APIS)).isEqualTo(1);
    }
  }
}
