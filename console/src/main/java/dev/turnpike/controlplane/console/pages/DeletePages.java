package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.app.App;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.deployment.Deployment;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.plan.UsagePlan;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Deleting an API, a stage or a usage plan: a GET shows what the delete really does (read from the
 * same data the use case acts on) with a confirm button; the POST runs the management API's delete.
 * A refusal of the use case comes back on the same page, nothing changed; a delete lands on the
 * list with a message.
 */
public final class DeletePages {
  private static final String STAGE = ApiPages.API + "/stages/:stageId";
  private static final String PLAN = "/t/:tenantId/plans/:planId";

  /**
   * What the confirmation page shows.
   *
   * @param blocked why the delete cannot be done now, or null
   * @param cancel where "keep it" leads: the thing's own page
   */
  record Confirmation(
      String nav,
      String heading,
      List<String> consequences,
      String blocked,
      String action,
      String button,
      String cancel) {}

  private final Pages pages;
  private final UseCases u;

  public DeletePages(Pages pages, UseCases u) {
    this.pages = pages;
    this.u = u;
  }

  public void mount(Router router) {
    router
        .get(ApiPages.API + "/delete")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              pages.inTenant(ctx, READ, tx -> api(tx, apiId));
            });
    router.post(ApiPages.API + "/delete").handler(this::deleteApi);
    router
        .get(STAGE + "/delete")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID stageId = stageId(ctx);
              pages.inTenant(ctx, READ, tx -> stage(tx, apiId, stageId));
            });
    router.post(STAGE + "/delete").handler(this::deleteStage);
    router
        .get(PLAN + "/delete")
        .handler(
            ctx -> {
              UUID planId = planId(ctx);
              pages.inTenant(ctx, READ, tx -> plan(tx, planId));
            });
    router.post(PLAN + "/delete").handler(this::deletePlan);
  }

  private void deleteApi(RoutingContext ctx) {
    UUID apiId = apiId(ctx);
    delete(
        ctx,
        tx -> {
          Api api = u.apis().get(tx, apiId);
          u.apis().delete(tx, apiId);
          return View.redirect(
              "/console/t/" + tx.tenantId() + "/apis", "API " + api.name() + " was deleted.");
        },
        tx -> api(tx, apiId));
  }

  private void deleteStage(RoutingContext ctx) {
    UUID apiId = apiId(ctx);
    UUID stageId = stageId(ctx);
    delete(
        ctx,
        tx -> {
          Stage stage = u.stages().get(tx, apiId, stageId);
          u.stages().delete(tx, apiId, stageId);
          // No #stages fragment: the message at the top of the page must be in view.
          return View.redirect(
              ApiPages.apiPath(tx, apiId), "Stage " + stage.name() + " was deleted.");
        },
        tx -> stage(tx, apiId, stageId));
  }

  private void deletePlan(RoutingContext ctx) {
    UUID planId = planId(ctx);
    delete(
        ctx,
        tx -> {
          UsagePlan plan = u.plans().get(tx, planId);
          u.plans().delete(tx, planId);
          return View.redirect(
              "/console/t/" + tx.tenantId() + "/plans",
              "Usage plan " + plan.name() + " was deleted.");
        },
        tx -> plan(tx, planId));
  }

  private void delete(
      RoutingContext ctx, Function<TenantTx, View> action, Function<TenantTx, View> page) {
    pages.submit(ctx, WRITE, action, (tx, form) -> page.apply(tx).with("form", form));
  }

  private View api(TenantTx tx, UUID apiId) {
    Api api = u.apis().get(tx, apiId);
    List<Stage> stages = u.stages().list(tx, apiId);
    List<String> lines = new ArrayList<>();
    lines.add(
        "Its "
            + count(u.routes().list(tx, apiId).size(), "route")
            + " and "
            + count(u.integrations().list(tx, apiId).size(), "integration")
            + " are deleted.");
    List<Deployment> deployments = u.deployments().list(tx, apiId);
    lines.add(
        stages.isEmpty()
            ? "It has no stages; its " + count(deployments.size(), "deployment") + " go with it."
            : "Its "
                + count(stages.size(), "stage")
                + " ("
                + names(stages, Stage::name)
                + ") and its "
                + count(deployments.size(), "deployment")
                + " are deleted.");
    List<Stage> serving = stages.stream().filter(s -> s.deploymentId() != null).toList();
    if (!serving.isEmpty()) {
      lines.add(
          "Gateway nodes stop serving "
              + names(serving, Stage::name)
              + " within seconds; calls to the API are no longer routed.");
    }
    Set<UUID> stageIds = stages.stream().map(Stage::id).collect(Collectors.toSet());
    plansOf(tx, stageIds, lines, "its stages");
    lines.add("The audit log keeps the API's settings as they were. This cannot be undone.");
    return page(
        tx,
        new Confirmation(
            "apis",
            "Delete API " + api.name() + "?",
            lines,
            null,
            ApiPages.apiPath(tx, apiId) + "/delete",
            "Delete API",
            ApiPages.apiPath(tx, apiId)));
  }

  private View stage(TenantTx tx, UUID apiId, UUID stageId) {
    Api api = u.apis().get(tx, apiId);
    Stage stage = u.stages().get(tx, apiId, stageId);
    List<String> lines = new ArrayList<>();
    lines.add(
        "Stage "
            + stage.name()
            + " of "
            + api.name()
            + " is deleted with its variables and throttles.");
    lines.add(
        stage.deploymentId() == null
            ? "It serves no deployment, so the gateway is not affected."
            : "Gateway nodes stop serving it within seconds (it serves deployment "
                + stage.deploymentId().toString().substring(0, 8)
                + ").");
    plansOf(tx, Set.of(stageId), lines, "it");
    lines.add(
        "The API, its routes and its deployment history stay: a new stage can be deployed to"
            + " again.");
    String path = ApiPages.apiPath(tx, apiId) + "/stages/" + stageId;
    return page(
        tx,
        new Confirmation(
            "apis",
            "Delete stage " + stage.name() + " of " + api.name() + "?",
            lines,
            null,
            path + "/delete",
            "Delete stage",
            path));
  }

  private View plan(TenantTx tx, UUID planId) {
    UsagePlan plan = u.plans().get(tx, planId);
    long subscriptions = 0;
    for (App app : u.apps().list(tx)) {
      subscriptions +=
          u.subscriptions().list(tx, app.id()).stream()
              .filter(s -> s.planId().equals(planId))
              .count();
    }
    List<String> lines = new ArrayList<>();
    lines.add("The plan with its throttle, quota and prices is deleted.");
    lines.add(
        plan.apiStages().isEmpty()
            ? "It covers no API stage, so the gateway is not affected."
            : "It stops covering "
                + count(plan.apiStages().size(), "API stage")
                + "; gateway nodes drop it within seconds.");
    lines.add("It disappears from the developer portal.");
    String blocked =
        subscriptions == 0
            ? null
            : count((int) subscriptions, "subscription")
                + " (of any status) use this plan, and a plan with subscriptions cannot be"
                + " deleted. Archive it instead (status archived): it then takes no new ones.";
    String path = "/console/t/" + tx.tenantId() + "/plans/" + planId;
    return page(
        tx,
        new Confirmation(
            "plans",
            "Delete usage plan " + plan.name() + "?",
            lines,
            blocked,
            path + "/delete",
            "Delete usage plan",
            path));
  }

  /** Names the plans that sell any of {@code stageIds}: they stay, without those stages. */
  private void plansOf(TenantTx tx, Set<UUID> stageIds, List<String> lines, String what) {
    List<UsagePlan> selling =
        u.plans().list(tx).stream()
            .filter(p -> p.apiStages().stream().anyMatch(s -> stageIds.contains(s.stageId())))
            .toList();
    if (!selling.isEmpty()) {
      lines.add(
          (selling.size() == 1 ? "Usage plan " : "Usage plans ")
              + names(selling, UsagePlan::name)
              + " will no longer cover "
              + what
              + ": their subscribers' keys stop reaching "
              + what
              + (selling.size() == 1
                  ? ". The plan and its subscriptions stay."
                  : ". The plans and their subscriptions stay."));
    }
  }

  static View page(TenantTx tx, Confirmation confirmation) {
    return View.page("delete")
        .with("nav", confirmation.nav())
        .with("confirmation", confirmation)
        .with("canDelete", tx.role().allows(WRITE))
        .with("form", Form.empty());
  }

  private static <T> String names(List<T> items, Function<T, String> name) {
    return items.stream().map(name).collect(Collectors.joining(", "));
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static UUID apiId(RoutingContext ctx) {
    return ApiPages.apiId(ctx);
  }

  private static UUID stageId(RoutingContext ctx) {
    return Pages.id(ctx, "stageId", "Stage");
  }

  private static UUID planId(RoutingContext ctx) {
    return Pages.id(ctx, "planId", "Usage plan");
  }
}
