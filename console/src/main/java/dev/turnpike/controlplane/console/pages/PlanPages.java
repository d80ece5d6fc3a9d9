package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.contracts.config.ThrottleLimit;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Usage plans: the list, and one form to create or edit a plan (throttle, quota, pricing model with
 * tiers, and the API stages it binds). Prices are entered in the currency's major unit; the plan
 * stores cents and, per request, micro-units.
 */
public final class PlanPages {
  static final int TIER_ROWS = 4;
  private static final Set<String> FIELDS = fields();

  /** An API stage a plan can bind, keyed {@code apiId/stage}. */
  public record StageOption(String key, String label) {}

  /** A stage the plan grants, with its limits and where they are edited. */
  public record Binding(String label, String href, PlanApiStage stage) {
    /** The per-method throttles by key, sorted. */
    public Map<String, ThrottleLimit> methods() {
      return new TreeMap<>(stage.methodThrottles());
    }
  }

  private final Pages pages;
  private final UseCases u;

  public PlanPages(Pages pages, UseCases u) {
    this.pages = pages;
    this.u = u;
  }

  private static Set<String> fields() {
    Set<String> fields =
        new HashSet<>(
            Set.of(
                "/name",
                "/description",
                "/status",
                "/limitScope",
                "/throttle/rateLimit",
                "/throttle/burstLimit",
                "/quota/limit",
                "/quota/period",
                "/pricing/model",
                "/pricing/currency",
                "/pricing/flatFeeCents",
                "/pricing/unitPriceMicros",
                "/pricing/includedRequests",
                "/pricing/tiers"));
    for (int i = 0; i < TIER_ROWS; i++) {
      fields.add("/pricing/tiers/" + i + "/upTo");
      fields.add("/pricing/tiers/" + i + "/unitPriceMicros");
      fields.add("/pricing/tiers/" + i + "/flatFeeCents");
    }
    return Set.copyOf(fields);
  }

  public void mount(Router router) {
    String list = "/t/:tenantId/plans";
    router.get(list).handler(ctx -> pages.inTenant(ctx, READ, this::list));
    router
        .get(list + "/new")
        .handler(
            ctx ->
                pages.inTenant(
                    ctx,
                    READ,
                    tx ->
                        form(
                            tx,
                            null,
                            Form.empty()
                                .set("status", "active")
                                .set("pricing.model", "free")
                                .set("pricing.currency", "usd")
                                .set("quota.period", "MONTH"))));
    router.post(list).handler(ctx -> save(ctx, null));
    router
        .get(list + "/:planId")
        .handler(
            ctx -> {
              UUID planId = Pages.id(ctx, "planId", "Usage plan");
              pages.inTenant(
                  ctx,
                  READ,
                  tx -> {
                    UsagePlan plan = u.plans().get(tx, planId);
                    return form(tx, plan, values(plan));
                  });
            });
    router.post(list + "/:planId").handler(ctx -> save(ctx, Pages.id(ctx, "planId", "Usage plan")));
    new PlanStagePages(pages, u).mount(router);
  }

  private View list(TenantTx tx) {
    Map<UUID, String> apiNames = new HashMap<>();
    u.apis().list(tx).forEach(a -> apiNames.put(a.id(), a.name()));
    return View.page("plans")
        .with("nav", "plans")
        .with("plans", u.plans().list(tx))
        .with("apiNames", apiNames);
  }

  private View form(TenantTx tx, UsagePlan plan, Form form) {
    List<StageOption> options = new ArrayList<>();
    for (Api api : u.apis().list(tx)) {
      for (Stage stage : u.stages().list(tx, api.id())) {
        options.add(
            new StageOption(api.id() + "/" + stage.name(), api.name() + " / " + stage.name()));
      }
    }
    List<Binding> bindings = new ArrayList<>();
    if (plan != null) {
      Map<String, String> labels = new HashMap<>();
      options.forEach(o -> labels.put(o.key(), o.label()));
      for (PlanApiStage stage : plan.apiStages()) {
        bindings.add(
            new Binding(
                labels.getOrDefault(stage.apiId() + "/" + stage.stage(), stage.stage()),
                PlanStagePages.path(tx.tenantId(), plan.id(), stage),
                stage));
      }
    }
    return View.page("plan-edit")
        .with("nav", "plans")
        .with("plan", plan)
        .with("bindings", bindings)
        .with("stageOptions", options)
        .with("tierRows", java.util.stream.IntStream.range(0, TIER_ROWS).boxed().toList())
        .with("form", form.placing(FIELDS));
  }

  private void save(RoutingContext ctx, UUID planId) {
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          UsagePlan before = planId == null ? null : u.plans().get(tx, planId);
          UsagePlans.PlanInput input = input(in, before);
          if (planId == null) {
            u.plans().create(tx, input);
          } else {
            u.plans().update(tx, planId, input);
          }
          return View.redirect("/console/t/" + tx.tenantId() + "/plans");
        },
        (tx, form) -> form(tx, planId == null ? null : u.plans().get(tx, planId), form));
  }

  private static UsagePlans.PlanInput input(FormInput in, UsagePlan before) {
    Double rate = in.decimal("throttle.rate", "/throttle/rateLimit");
    Integer burst = in.integer("throttle.burst", "/throttle/burstLimit");
    ThrottleInput throttle = rate == null && burst == null ? null : new ThrottleInput(rate, burst);
    Long quotaLimit = in.whole("quota.limit", "/quota/limit");
    UsagePlans.QuotaInput quota =
        quotaLimit == null
            ? null
            : new UsagePlans.QuotaInput(
                quotaLimit,
                before == null || before.quota() == null ? null : before.quota().offset(),
                in.text("quota.period"));
    List<UsagePlans.TierInput> tiers = new ArrayList<>();
    for (int i = 0; i < TIER_ROWS; i++) {
      String prefix = "tier." + i + ".";
      if (in.text(prefix + "upTo") == null
          && in.text(prefix + "unitPrice") == null
          && in.text(prefix + "flatFee") == null) {
        continue;
      }
      String pointer = "/pricing/tiers/" + tiers.size() + "/";
      tiers.add(
          new UsagePlans.TierInput(
              in.whole(prefix + "upTo", pointer + "upTo"),
              in.money(prefix + "unitPrice", pointer + "unitPriceMicros", 6),
              in.money(prefix + "flatFee", pointer + "flatFeeCents", 2)));
    }
    UsagePlans.PricingInput pricing =
        new UsagePlans.PricingInput(
            in.text("pricing.model"),
            in.text("pricing.currency"),
            in.money("pricing.flatFee", "/pricing/flatFeeCents", 2),
            in.money("pricing.unitPrice", "/pricing/unitPriceMicros", 6),
            in.whole("pricing.included", "/pricing/includedRequests"),
            tiers,
            // WebSocket prices are not on the form (set through the API): an edit keeps them.
            before == null ? null : before.pricing().messagePricePerMillionMicros(),
            before == null ? null : before.pricing().connectionMinutePricePerMillionMicros());
    in.throwIfInvalid();
    return new UsagePlans.PlanInput(
        in.text("name"),
        in.text("description"),
        throttle,
        quota,
        pricing,
        in.checked("requiresApproval"),
        in.text("status"),
        stages(in.all("stage"), before),
        in.text("limitScope"),
        // Not on the form (set through the API): an edit keeps it.
        before == null ? null : before.maxConnectionsPerKey());
  }

  /** The ticked stages; a binding the plan had keeps its own limits, set through the API. */
  private static List<UsagePlans.ApiStageInput> stages(List<String> keys, UsagePlan before) {
    Map<String, PlanApiStage> kept = new HashMap<>();
    if (before != null) {
      before.apiStages().forEach(s -> kept.put(s.apiId() + "/" + s.stage(), s));
    }
    List<UsagePlans.ApiStageInput> stages = new ArrayList<>();
    for (String key : keys) {
      int slash = key.indexOf('/');
      UUID apiId;
      try {
        apiId = UUID.fromString(key.substring(0, Math.max(slash, 0)));
      } catch (IllegalArgumentException e) {
        throw ApiFailure.invalid("/apiStages/" + stages.size(), "is not an API stage");
      }
      String stage = key.substring(slash + 1);
      PlanApiStage old = kept.get(key);
      stages.add(
          new UsagePlans.ApiStageInput(
              apiId,
              stage,
              old == null ? null : ThrottleInput.of(old.throttle()),
              old == null ? null : ThrottleInput.inputs(old.methodThrottles())));
    }
    return stages;
  }

  private static Form values(UsagePlan plan) {
    Form form =
        Form.empty()
            .set("name", plan.name())
            .set("description", plan.description())
            .set("status", plan.status())
            .set("requiresApproval", plan.requiresApproval() ? "on" : "")
            .set("limitScope", plan.limitScope());
    if (plan.throttle() != null) {
      form.set("throttle.rate", decimal(plan.throttle().rateLimit()))
          .set("throttle.burst", Integer.toString(plan.throttle().burstLimit()));
    }
    if (plan.quota() != null) {
      form.set("quota.limit", Long.toString(plan.quota().limit()))
          .set("quota.period", plan.quota().period().name());
    } else {
      form.set("quota.period", "MONTH");
    }
    Pricing p = plan.pricing();
    form.set("pricing.model", p.model())
        .set("pricing.currency", p.currency())
        .set("pricing.flatFee", p.flatFeeCents() == 0 ? "" : FormInput.major(p.flatFeeCents(), 2))
        .set(
            "pricing.unitPrice",
            p.unitPriceMicros() == 0 ? "" : FormInput.major(p.unitPriceMicros(), 6))
        .set(
            "pricing.included",
            p.includedRequests() == 0 ? "" : Long.toString(p.includedRequests()));
    for (int i = 0; i < p.tiers().size() && i < TIER_ROWS; i++) {
      Pricing.PriceTier tier = p.tiers().get(i);
      String prefix = "tier." + i + ".";
      form.set(prefix + "upTo", tier.upTo() == null ? "" : Long.toString(tier.upTo()))
          .set(prefix + "unitPrice", FormInput.major(tier.unitPriceMicros(), 6))
          .set(
              prefix + "flatFee",
              tier.flatFeeCents() == 0 ? "" : FormInput.major(tier.flatFeeCents(), 2));
    }
    plan.apiStages().forEach(s -> form.set("stage:" + s.apiId() + "/" + s.stage(), "on"));
    return form;
  }

  private static String decimal(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
