package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.billing.BillingStanding;
import dev.turnpike.contracts.billing.BillingStanding.Standing;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.controlplane.apikey.ApiKey;
import dev.turnpike.controlplane.apikey.ApiKeys.CreateKey;
import dev.turnpike.controlplane.apikey.IssuedKey;
import dev.turnpike.controlplane.app.App;
import dev.turnpike.controlplane.app.Apps.CreateApp;
import dev.turnpike.controlplane.app.Subscription;
import dev.turnpike.controlplane.app.Subscriptions.CreateSubscription;
import dev.turnpike.controlplane.plan.UsagePlan;
import dev.turnpike.controlplane.plan.UsagePlans.PlanInput;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.tenant.DeveloperCaps;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of apps, subscriptions and keys, and the key records they publish. */
class AppUseCasesTest {
  private final Tenancy t = new Tenancy();

  private UsagePlan plan(String name, Boolean requiresApproval) {
    return t.write(
        tx ->
            t.u
                .plans()
                .create(
                    tx,
                    new PlanInput(
                        name, null, null, null, null, requiresApproval, null, null, null, null)));
  }

  private App app(String name) {
    return t.write(tx -> t.u.apps().create(tx, new CreateApp(name, null)));
  }

  private List<KeyRecord> keyRecords() {
    return t.cp.outbox(t.tenant).stream()
        .filter(e -> e.topic().equals(Topics.KEYS) && e.payload() != null)
        .map(e -> KeyRecord.CODEC.decode(e.payload()))
        .toList();
  }

  @Test
  void a_new_key_is_published_by_hash_with_the_plans_of_its_app() {
    UsagePlan gold = plan("gold", null);
    App app = app("mobile");
    t.write(tx -> t.u.subscriptions().create(tx, app.id(), new CreateSubscription(gold.id())));

    IssuedKey issued = t.write(tx -> t.u.keys().create(tx, app.id(), new CreateKey("ci", null)));

    assertThat(keyRecords())
        .last()
        .satisfies(
            r -> {
              assertThat(r.keyId()).isEqualTo(issued.id().toString());
              assertThat(r.planIds()).containsExactly(gold.id().toString());
              assertThat(r.status()).isEqualTo(KeyStatus.ENABLED);
              assertThat(r.keyHash()).hasSize(64).doesNotContain(issued.key());
            });
  }

  @Test
  void a_key_created_while_billing_holds_the_app_is_published_suspended_until_it_is_paid() {
    UsagePlan gold = plan("gold", null);
    App app = app("mobile");
    t.write(tx -> t.u.subscriptions().create(tx, app.id(), new CreateSubscription(gold.id())));
    // The payment failed: billing decided the app's standing and the control plane applied it.
    // The app's subscriptions are not what the key reads (their state is billing's own).
    t.write(tx -> t.cp.billingStandings().apply(tx, standing(app, Standing.SUSPENDED, 1)));

    IssuedKey issued = t.write(tx -> t.u.keys().create(tx, app.id(), new CreateKey("ci", null)));

    assertThat(issued.status()).isEqualTo("suspended");
    assertThat(lastPublishedStatus(issued)).isEqualTo(KeyStatus.SUSPENDED);

    t.write(tx -> t.cp.billingStandings().apply(tx, standing(app, Standing.GOOD, 2)));

    assertThat(lastPublishedStatus(issued)).isEqualTo(KeyStatus.ENABLED);
  }

  private KeyStatus lastPublishedStatus(IssuedKey key) {
    return keyRecords().stream()
        .filter(r -> r.keyId().equals(key.id().toString()))
        .reduce((first, second) -> second)
        .orElseThrow()
        .status();
  }

  private BillingStanding standing(App app, Standing standing, long revision) {
    return new BillingStanding(
        BillingStanding.SCHEMA_VERSION,
        t.tenant.toString(),
        app.id().toString(),
        standing,
        revision,
        Instant.parse("2026-01-05T10:00:00Z"));
  }

  @Test
  void a_second_live_subscription_to_the_same_plan_is_a_conflict() {
    UsagePlan gold = plan("gold", null);
    App app = app("mobile");
    t.write(tx -> t.u.subscriptions().create(tx, app.id(), new CreateSubscription(gold.id())));

    ApiFailure failure =
        t.failure(
            tx -> t.u.subscriptions().create(tx, app.id(), new CreateSubscription(gold.id())));

    assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
  }

  @Test
  void a_plan_that_requires_approval_leaves_the_subscription_pending_and_publishes_nothing() {
    UsagePlan gold = plan("gold", true);
    App app = app("mobile");
    t.write(tx -> t.u.keys().create(tx, app.id(), new CreateKey("ci", null)));
    int before = keyRecords().size();

    Subscription pending =
        t.write(tx -> t.u.subscriptions().create(tx, app.id(), new CreateSubscription(gold.id())));

    assertThat(pending.status()).isEqualTo("pending_approval");
    assertThat(keyRecords()).hasSize(before);
  }

  @Test
  void the_owners_cap_on_apps_per_developer_holds() {
    t.write(tx -> t.u.caps().put(tx, new DeveloperCaps(null, 1)));
    app("first");

    ApiFailure failure = t.failure(tx -> t.u.apps().create(tx, new CreateApp("second", null)));

    assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
    assertThat(failure.detail()).contains("at most 1");
    assertThat(t.list(tx -> t.u.apps().list(tx))).hasSize(1);
  }

  @Test
  void the_owners_cap_on_keys_per_app_holds() {
    t.write(tx -> t.u.caps().put(tx, new DeveloperCaps(1, null)));
    App app = app("mobile");
    t.write(tx -> t.u.keys().create(tx, app.id(), new CreateKey("one", null)));

    ApiFailure failure =
        t.failure(tx -> t.u.keys().create(tx, app.id(), new CreateKey("two", null)));

    assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
    assertThat(t.list(tx -> t.u.keys().list(tx, app.id()))).hasSize(1);
  }

  @Test
  void a_revoked_key_is_published_revoked() {
    App app = app("mobile");
    IssuedKey issued = t.write(tx -> t.u.keys().create(tx, app.id(), new CreateKey("ci", null)));

    ApiKey revoked = t.write(tx -> t.u.keys().revoke(tx, app.id(), issued.id()));

    assertThat(revoked.status()).isEqualTo("revoked");
    assertThat(t.cp.outbox(t.tenant).getLast().key()).isEqualTo(keyRecords().getFirst().keyHash());
  }

  @Test
  void an_app_needs_a_name() {
    ApiFailure failure = t.failure(tx -> t.u.apps().create(tx, new CreateApp(null, null)));

    assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
  }

  @Test
  void a_deleted_app_is_gone_and_its_keys_leave_the_gateway() {
    App app = app("mobile");
    t.write(tx -> t.u.keys().create(tx, app.id(), new CreateKey("ci", null)));
    String hash = keyRecords().getFirst().keyHash();

    t.run(tx -> t.u.apps().delete(tx, app.id()));

    assertThat(t.list(tx -> t.u.apps().list(tx))).isEmpty();
    assertThat(t.failure(tx -> t.u.apps().get(tx, app.id())).kind())
        .isEqualTo(ProblemKind.NOT_FOUND);
    assertThat(t.cp.outbox(t.tenant).getLast().key()).isEqualTo(hash);
  }

  @Test
  void another_tenants_app_is_not_found() {
    App app = app("mobile");
    Tenancy other = new Tenancy();

    assertThat(other.failure(tx -> other.u.apps().get(tx, app.id())).kind())
        .isEqualTo(ProblemKind.NOT_FOUND);
    assertThat(
            other
                .failure(tx -> other.u.keys().create(tx, app.id(), new CreateKey("x", null)))
                .kind())
        .isEqualTo(ProblemKind.NOT_FOUND);
  }
}
