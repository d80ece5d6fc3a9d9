package dev.turnpike.metering.node;

import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.APPS;
import static dev.turnpike.db.Tables.APP_BILLING_STANDINGS;
import static dev.turnpike.db.Tables.AUDIT_LOG;
import static dev.turnpike.db.Tables.OUTBOX;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;
import static dev.turnpike.db.Tables.TENANTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.metering.testing.BillingFixture;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * Metering's database login (role {@code turnpike_metering}) against the control plane's tables:
 * PostgreSQL itself refuses every write metering has no business doing, so a fault in metering
 * cannot publish config records, change keys or tenants, whatever its code does.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeteringDatabaseRoleTest {
  DSLContext metering;
  DSLContext owner;
  UUID tenant;
  UUID app;
  UUID subscription;
  String keyHash;

  @BeforeAll
  void seed(TestDatabase db) {
    owner = db.ownerDsl();
    metering = db.meteringDsl();
    BillingFixture fixture = new BillingFixture(owner);
    tenant = fixture.tenant();
    app = fixture.app(tenant, fixture.user("role-" + UUID.randomUUID() + "@example.com"));
    UUID plan = fixture.plan(tenant, "Metered", "per_request", 0, 1_000, 0);
    subscription =
        fixture.subscription(
            tenant, app, plan, "active", Instant.parse("2026-11-01T00:00:00Z"), null);
    keyHash = fixture.key(tenant, app, "suspended");
  }

  @Test
  void cannot_write_the_control_planes_outbox() {
    assertRefused(
        () ->
            metering
                .insertInto(OUTBOX)
                .set(OUTBOX.TENANT_ID, tenant)
                .set(OUTBOX.TOPIC, "turnpike.config.keys")
                .set(OUTBOX.MESSAGE_KEY, "forged")
                .set(OUTBOX.PAYLOAD, new byte[] {1})
                .execute());
    assertRefused(() -> metering.update(OUTBOX).set(OUTBOX.SENT_AT, now()).execute());
    assertRefused(() -> metering.deleteFrom(OUTBOX).execute());
  }

  @Test
  void cannot_change_a_keys_status_or_add_or_remove_keys() {
    assertRefused(
        () ->
            metering
                .update(API_KEYS)
                .set(API_KEYS.STATUS, "enabled")
                .where(API_KEYS.KEY_HASH.eq(keyHash))
                .execute());
    assertRefused(
        () ->
            metering
                .insertInto(API_KEYS)
                .set(API_KEYS.ID, UUID.randomUUID())
                .set(API_KEYS.TENANT_ID, tenant)
                .set(API_KEYS.APP_ID, app)
                .set(API_KEYS.KEY_HASH, "a".repeat(64))
                .set(API_KEYS.PREFIX, "tpk_forg")
                .execute());
    assertRefused(() -> metering.deleteFrom(API_KEYS).execute());
    assertThat(owner.fetchValue(API_KEYS.STATUS, API_KEYS.KEY_HASH.eq(keyHash)))
        .isEqualTo("suspended");
  }

  @Test
  void cannot_read_key_hashes() {
    assertRefused(() -> metering.select(API_KEYS.KEY_HASH).from(API_KEYS).fetch());
  }

  @Test
  void may_stamp_a_keys_last_use_and_nothing_else_of_it() {
    UUID key = owner.fetchValue(API_KEYS.ID, API_KEYS.KEY_HASH.eq(keyHash));

    int touched =
        metering
            .update(API_KEYS)
            .set(API_KEYS.LAST_USED_AT, now())
            .where(API_KEYS.ID.eq(key), API_KEYS.LAST_USED_AT.isNull())
            .execute();

    assertThat(touched).isEqualTo(1);
  }

  @Test
  void cannot_change_or_remove_tenants_or_apps() {
    assertRefused(() -> metering.update(TENANTS).set(TENANTS.STATUS, "suspended").execute());
    assertRefused(() -> metering.deleteFrom(TENANTS).execute());
    assertRefused(() -> metering.update(APPS).set(APPS.STATUS, "blocked").execute());
    assertRefused(() -> metering.deleteFrom(APPS).execute());
  }

  @Test
  void moves_a_subscriptions_state_but_cannot_change_its_plan_or_remove_it() {
    assertRefused(
        () ->
            metering
                .update(SUBSCRIPTIONS)
                .set(SUBSCRIPTIONS.PLAN_ID, UUID.randomUUID())
                .where(SUBSCRIPTIONS.ID.eq(subscription))
                .execute());
    assertRefused(() -> metering.deleteFrom(SUBSCRIPTIONS).execute());
  }

  @Test
  void cannot_write_the_control_planes_applied_standings() {
    assertRefused(
        () ->
            metering
                .insertInto(APP_BILLING_STANDINGS)
                .set(APP_BILLING_STANDINGS.TENANT_ID, tenant)
                .set(APP_BILLING_STANDINGS.APP_ID, app)
                .set(APP_BILLING_STANDINGS.STANDING, "good")
                .set(APP_BILLING_STANDINGS.REVISION, 99L)
                .set(APP_BILLING_STANDINGS.DECIDED_AT, now())
                .execute());
  }

  @Test
  void appends_to_the_audit_log_but_cannot_rewrite_it() {
    metering
        .insertInto(AUDIT_LOG)
        .set(AUDIT_LOG.TENANT_ID, tenant)
        .set(AUDIT_LOG.ACTOR, "stripe")
        .set(AUDIT_LOG.ACTION, "subscription.suspended")
        .set(AUDIT_LOG.ENTITY_TYPE, "subscription")
        .set(AUDIT_LOG.AFTER, JSONB.valueOf("{}"))
        .execute();

    assertRefused(() -> metering.update(AUDIT_LOG).set(AUDIT_LOG.ACTOR, "nobody").execute());
    assertRefused(() -> metering.deleteFrom(AUDIT_LOG).execute());
  }

  private static void assertRefused(ThrowingSupplier<?> statement) {
    assertThatThrownBy(statement::get)
        .isInstanceOf(DataAccessException.class)
        .hasMessageContaining("permission denied");
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
