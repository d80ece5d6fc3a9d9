package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.deployment.ThrottleInput;
import dev.turnpike.controlplane.plan.PlanApiStage;
import dev.turnpike.controlplane.plan.Pricing;
import dev.turnpike.controlplane.plan.UsagePlan;
import dev.turnpike.controlplane.plan.UsagePlans;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A plan's limits on one API stage it grants: the stage's own throttle for the plan's keys and
 * per-method throttles. The plan is saved whole through its use case, with every other setting as
 * it was.
 */
final class PlanStagePages {
  static final String PATH = "/t/:tenantId/plans/:planId/stages/:apiId/:stage";

  private final Pages pages;
  private final UseCases u;

  PlanStagePages(Pages pages, UseCases u) {
    this.pages = pages;
    this.u = u;
  }

  void mount(Router router) {
    router
        .get(PATH)
        .handler(
            ctx -> {
              UUID planId = Pages.id(ctx, "planId", "Usage plan");
              UUID apiId = ApiPages.apiId(ctx);
              String stage = ctx.pathParam("stage");
              pages.inTenant(ctx, READ, tx -> form(tx, planId, apiId, stage, null));
            });
    router.post(PATH).handler(this::save);
  }

  /** Where a binding's limits are edited. */
  static String path(UUID tenantId, UUID planId, PlanApiStage binding) {
    return "/console/t/"
        + tenantId
        + "/plans/"
        + planId
        + "/stages/"
        + binding.apiId()
        + "/"
        + binding.stage();
  }

  private static int indexOf(UsagePlan plan, UUID apiId, String stage) {
    for (int i = 0; i < plan.apiStages().size(); i++) {
      PlanApiStage binding = plan.apiStages().get(i);
      if (binding.apiId().equals(apiId) && binding.stage().equals(stage)) {
        return i;
      }
    }
    throw ApiFailure.notFound("Stage " + stage + " of API " + apiId + " in this plan");
  }

  private static MethodThrottleRows rowsFor(int index) {
    return new MethodThrottleRows("/apiStages/" + index + "/methodThrottles");
  }

  private View form(TenantTx tx, UUID planId, UUID apiId, String stageName, Form sent) {
    UsagePlan plan = u.plans().get(tx, planId);
    int index = indexOf(plan, apiId, stageName);
    PlanApiStage binding = plan.apiStages().get(index);
    MethodThrottleRows rows = rowsFor(index);
    Form form = sent;
    if (form == null) {
      form = Form.empty();
      if (binding.throttle() != null) {
        form.set("throttle.rate", MethodThrottleRows.plain(binding.throttle().rateLimit()))
            .set("throttle.burst", Integer.toString(binding.throttle().burstLimit()));
      }
      rows.fill(form, binding.methodThrottles());
    }
    String pointer = "/apiStages/" + index;
    Set<String> placed =
        new HashSet<>(Set.of(pointer + "/throttle/rateLimit", pointer + "/throttle/burstLimit"));
    placed.addAll(rows.rows().pointers(rows.rows().rows(form)));
    Api api = u.apis().get(tx, apiId);
    Stage stage = u.stages().get(tx, apiId, binding.stageId());
    View view =
        View.page("plan-stage")
            .with("nav", "plans")
            .with("plan", plan)
            .with("api", api)
            .with("binding", binding)
            .with("pointer", pointer)
            .with("form", form.placing(placed));
    return rows.show(view, form, MethodThrottleRows.choices(tx, u, stage));
  }

  private void save(RoutingContext ctx) {
    UUID planId = Pages.id(ctx, "planId", "Usage plan");
    UUID apiId = ApiPages.apiId(ctx);
    String stage = ctx.pathParam("stage");
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          UsagePlan before = u.plans().get(tx, planId);
          int index = indexOf(before, apiId, stage);
          String pointer = "/apiStages/" + index;
          Double rate = in.decimal("throttle.rate", pointer + "/throttle/rateLimit");
          Integer burst = in.integer("throttle.burst", pointer + "/throttle/burstLimit");
          PlanApiStage old = before.apiStages().get(index);
          var methodThrottles = rowsFor(index).read(in, old.methodThrottles());
          in.throwIfInvalid();
          List<UsagePlans.ApiStageInput> stages = new ArrayList<>();
          for (PlanApiStage binding : before.apiStages()) {
            stages.add(
                binding == old
                    ? new UsagePlans.ApiStageInput(
                        apiId,
                        stage,
                        rate == null && burst == null ? null : new ThrottleInput(rate, burst),
                        methodThrottles)
                    : input(binding));
          }
          u.plans().update(tx, planId, unchanged(before, stages));
          return View.redirect(
              "/console/t/" + tx.tenantId() + "/plans/" + planId,
              "The limits of " + before.name() + " on stage " + stage + " were saved.");
        },
        (tx, form) -> form(tx, planId, apiId, stage, form));
  }

  static UsagePlans.ApiStageInput input(PlanApiStage binding) {
    return new UsagePlans.ApiStageInput(
        binding.apiId(),
        binding.stage(),
        ThrottleInput.of(binding.throttle()),
        ThrottleInput.inputs(binding.methodThrottles()));
  }

  /** The plan's input as it stands, with {@code stages} as its API stages. */
  private static UsagePlans.PlanInput unchanged(
      UsagePlan plan, List<UsagePlans.ApiStageInput> stages) {
    Pricing p = plan.pricing();
    return new UsagePlans.PlanInput(
        plan.name(),
        plan.description(),
        ThrottleInput.of(plan.throttle()),
        plan.quota() == null
            ? null
            : new UsagePlans.QuotaInput(
                plan.quota().limit(), plan.quota().offset(), plan.quota().period().name()),
        new UsagePlans.PricingInput(
            p.model(),
            p.currency(),
            p.flatFeeCents(),
            p.unitPriceMicros(),
            p.includedRequests(),
            p.tiers().stream()
                .map(t -> new UsagePlans.TierInput(t.upTo(), t.unitPriceMicros(), t.flatFeeCents()))
                .toList(),
            p.messagePricePerMillionMicros(),
            p.connectionMinutePricePerMillionMicros()),
        plan.requiresApproval(),
        plan.status(),
        stages,
        plan.limitScope(),
        plan.maxConnectionsPerKey());
  }
}
