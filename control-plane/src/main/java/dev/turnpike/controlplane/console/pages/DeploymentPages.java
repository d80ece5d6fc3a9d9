package dev.turnpike.controlplane.console.pages;

import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.deployment.Deployments;
import dev.turnpike.controlplane.deployment.Stages;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Creating a stage, deploying the API to a stage, and rolling a stage back. */
public final class DeploymentPages {
  private final Pages pages;
  private final UseCases u;
  private final ApiDetail detail;

  public DeploymentPages(Pages pages, UseCases u) {
    this.pages = pages;
    this.u = u;
    this.detail = new ApiDetail(u);
  }

  public void mount(Router router) {
    router.post(ApiPages.API + "/stages").handler(this::createStage);
    router.post(ApiPages.API + "/deployments").handler(this::deploy);
    router.post(ApiPages.API + "/stages/:stageId/rollback").handler(this::rollback);
  }

  private void createStage(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    var input =
        new Stages.CreateStage(in.text("name"), in.text("description"), null, null, null, null);
    pages.submit(
        ctx,
        tx -> {
          u.stages().create(tx, apiId, input);
          return View.redirect(ApiPages.apiPath(tx, apiId) + "#stages");
        },
        (tx, form) -> detail.view(tx, apiId, "stage", form));
  }

  private void deploy(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          var input =
              new Deployments.CreateDeployment(
                  uuid(in.text("stageId"), "/stageId", "is not a stage of this API"),
                  in.text("description"));
          u.deployments().create(tx, apiId, input);
          return View.redirect(ApiPages.apiPath(tx, apiId) + "#stages");
        },
        (tx, form) -> detail.view(tx, apiId, "deploy", form));
  }

  private void rollback(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    UUID stageId = Pages.id(ctx, "stageId", "Stage");
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          var input =
              new Deployments.Rollback(
                  uuid(
                      in.text("deploymentId"), "/deploymentId", "is not a deployment of this API"));
          u.deployments().rollback(tx, apiId, stageId, input);
          return View.redirect(ApiPages.apiPath(tx, apiId) + "#stages");
        },
        (tx, form) -> detail.view(tx, apiId, "rollback", form));
  }

  private static UUID uuid(String value, String pointer, String message) {
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ApiFailure.invalid(pointer, message);
    }
  }
}
