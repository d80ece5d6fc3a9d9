package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.Apis.CreateApi;
import dev.turnpike.controlplane.app.App;
import dev.turnpike.controlplane.app.Apps.CreateApp;
import dev.turnpike.controlplane.app.Subscriptions.CreateSubscription;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.deployment.Stages.CreateStage;
import dev.turnpike.controlplane.plan.UsagePlan;
import dev.turnpike.controlplane.plan.UsagePlans.ApiStageInput;
import dev.turnpike.controlplane.plan.UsagePlans.PlanInput;
import dev.turnpike.controlplane.plan.UsagePlans.QuotaInput;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules of usage plans and what they publish, on in-memory stores. */
class UsagePlanUseCasesTest {
  private final Tenancy t = new Tenancy();

  private static PlanInput plan(String name, List<ApiStageInput> stages) {
    return new PlanInput(name, null, null, null, null, null, null, stages, null, null);
  }

  @Test
  void creating_a_plan_publishes_its_record_and_audits_it() {
    UsagePlan plan = t.write(tx -> t.u.plans().create(tx, plan("gold", null)));

    assertThat(t.cp.outbox(t.tenant))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.topic()).isEqualTo(Topics.PLANS);
              assertThat(e.key())
                  .isEqualTo(Topics.planKey(t.tenant.toString(), plan.id().toString()));
              assertThat(PlanRecord.CODEC.decode(e.payload()).planId())
                  .isEqualTo(plan.id().toString());
            });
    assertThat(t.cp.audit(t.tenant)).extracting(e -> e.action()).contains("plan.create");
  }

  @Test
  void a_plans_connection_limit_per_key_reaches_the_gateways_record() {
    t.write(
        tx ->
            t.u
                .plans()
                .create(
                    tx, new PlanInput("gold", null, null, null, null, null, null, null, null, 5)));

    assertThat(t.cp.outbox(t.tenant))
        .singleElement()
        .satisfies(
            e ->
                assertThat(PlanRecord.CODEC.decode(e.payload()).maxConnectionsPerKey())
                    .isEqualTo(5));
  }

  @Test
  void a_connection_limit_per_key_below_one_is_refused() {
    ApiFailure failure =
        t.failure(
            tx ->
                t.u
                    .plans()
                    .create(
                        tx,
                        new PlanInput("gold", null, null, null, null, null, null, null, null, 0)));

    assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
    assertThat(failure.errors())
        .extracting(dev.turnpike.controlplane.problem.FieldError::pointer)
        .containsExactly("/maxConnectionsPerKey");
  }

  @Test
  void websocket_prices_are_kept_with_the_plan_and_refused_on_a_free_plan() {
    UsagePlan chat =
        t.write(
            tx ->
                t.u
                    .plans()
                    .create(
                        tx,
                        new PlanInput(
                            "chat",
                            null,
                            null,
                            null,
                            new dev.turnpike.controlplane.plan.UsagePlans.PricingInput(
                                "flat", "usd", 1_000L, null, null, null, 1_000_000L, 250_000L),
                            null,
                            null,
                            null,
                            null,
                            null)));
    assertThat(chat.pricing().messagePricePerMillionMicros()).isEqualTo(1_000_000);
    assertThat(chat.pricing().connectionMinutePricePerMillionMicros()).isEqualTo(250_000);

    ApiFailure free =
        t.failure(
            tx ->
                t.u
                    .plans()
                    .create(
                        tx,
                        new PlanInput(
                            "free",
                            null,
                            null,
                            null,
                            new dev.turnpike.controlplane.plan.UsagePlans.PricingInput(
                                "free", "usd", null, null, null, null, 1L, -1L),
                            null,
                            null,
                            null,
                            null,
                            null)));
    assertThat(free.errors())
        .extracting(dev.turnpike.controlplane.problem.FieldError::pointer)
        .containsExactlyInAnyOrder(
            "/pricing/messagePricePerMillionMicros",
            "/pricing/connectionMinutePricePerMillionMicros");
  }

  @Test
  void a_plan_name_is_unique_in_the_tenant() {
    t.write(tx -> t.u.plans().create(tx, plan("gold", null)));

    ApiFailure failure = t.failure(tx -> t.u.plans().create(tx, plan("gold", null)));

    assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
    assertThat(t.cp.outbox(t.tenant)).hasSize(1);
  }

  @Test
  void refuses_a_plan_over_the_tenants_limit() {
    Tenancy small = new Tenancy(Map.of("TURNPIKE_CP_LIMIT_USAGE_PLANS_PER_TENANT", "1"));
    small.write(tx -> small.u.plans().create(tx, plan("gold", null)));

    ApiFailure failure = small.failure(tx -> small.u.plans().create(tx, plan("silver", null)));

    assertThat(failure.kind()).isEqualTo(ProblemKind.LIMIT_EXCEEDED);
  }

  @Test
  void a_plan_binds_only_to_an_existing_stage() {
    Api api =
        t.write(tx -> t.u.apis().create(tx, new CreateApi("pets", "p", null, null, null, null)));

    ApiFailure failure =
        t.failure(
            tx ->
                t.u
                    .plans()
                    .create(
                        tx,
                        plan("gold", List.of(new ApiStageInput(api.id(), "prod", null, null)))));

    assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
  }

  @Test
  void a_bound_plan_carries_its_stage_until_the_stage_goes() {
    Api api =
        t.write(tx -> t.u.apis().create(tx, new CreateApi("pets", "p", null, null, null, null)));
    Stage prod =
        t.write(
            tx ->
                t.u
                    .stages()
                    .create(tx, api.id(), new CreateStage("prod", null, null, null, null, null)));
    UsagePlan plan =
        t.write(
            tx ->
                t.u
                    .plans()
                    .create(
                        tx,
                        plan("gold", List.of(new ApiStageInput(api.id(), "prod", null, null)))));
    assertThat(plan.apiStages()).extracting(s -> s.stageId()).containsExactly(prod.id());

    t.run(tx -> t.u.apis().delete(tx, api.id()));

    assertThat(t.write(tx -> t.u.plans().get(tx, plan.id())).apiStages()).isEmpty();
  }

  @Test
  void a_quota_needs_a_known_period() {
    ApiFailure failure =
        t.failure(
            tx ->
                t.u
                    .plans()
                    .create(
                        tx,
                        new PlanInput(
                            "gold",
                            null,
                            null,
                            new QuotaInput(100L, null, "FORTNIGHT"),
                            null,
                            null,
                            null,
                            null,
                            null,
                            null)));

    assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
    assertThat(t.list(tx -> t.u.plans().list(tx))).isEmpty();
  }

  @Test
  void a_plan_with_subscriptions_cannot_be_deleted() {
    UsagePlan plan = t.write(tx -> t.u.plans().create(tx, plan("gold", null)));
    App app = t.write(tx -> t.u.apps().create(tx, new CreateApp("mobile", null)));
    t.write(tx -> t.u.subscriptions().create(tx, app.id(), new CreateSubscription(plan.id())));

    ApiFailure failure = t.failure(tx -> t.u.plans().delete(tx, plan.id()));

    assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
    assertThat(t.list(tx -> t.u.plans().list(tx)))
        .extracting(UsagePlan::id)
        .containsExactly(plan.id());
  }

  @Test
  void deleting_a_plan_publishes_its_tombstone() {
    UsagePlan plan = t.write(tx -> t.u.plans().create(tx, plan("gold", null)));

    t.run(tx -> t.u.plans().delete(tx, plan.id()));

    assertThat(t.cp.outbox(t.tenant).getLast().payload()).isNull();
    assertThat(t.failure(tx -> t.u.plans().get(tx, plan.id())).kind())
        .isEqualTo(ProblemKind.NOT_FOUND);
  }

  @Test
  void another_tenants_plan_is_not_found() {
    UsagePlan plan = t.write(tx -> t.u.plans().create(tx, plan("gold", null)));
    Tenancy other = new Tenancy();

    assertThat(other.failure(tx -> other.u.plans().get(tx, plan.id())).kind())
        .isEqualTo(ProblemKind.NOT_FOUND);
    assertThat(t.failure(tx -> t.u.plans().get(tx, UUID.randomUUID())).kind())
        .isEqualTo(ProblemKind.NOT_FOUND);
  }
}
