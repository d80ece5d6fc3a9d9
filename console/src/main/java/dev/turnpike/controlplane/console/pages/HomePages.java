package dev.turnpike.controlplane.console.pages;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.console.web.ConsoleSession;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.tenant.TenantDirectory;
import dev.turnpike.controlplane.tenant.TenantView;
import dev.turnpike.controlplane.tenant.Tenants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The console's front door: a welcome page with sign-in and sign-up, the organizations of the
 * signed-in person, and the form that creates their first organization (a tenant they own).
 */
public final class HomePages {
  private final Pages pages;
  private final Tenants tenants;
  private final TenantDirectory directory;

  public HomePages(Pages pages, Tenants tenants, TenantDirectory directory) {
    this.pages = pages;
    this.tenants = tenants;
    this.directory = directory;
  }

  public void mount(Router router) {
    router.get("/").handler(this::home);
    router.get("/organizations/new").handler(this::newOrganization);
    router.post("/organizations").handler(this::createOrganization);
  }

  private void home(RoutingContext ctx) {
    Caller caller = ConsoleSession.caller(ctx);
    if (caller == null) {
      pages.show(ctx, () -> View.page("welcome"));
      return;
    }
    pages.show(
        ctx,
        () -> {
          List<TenantView> mine = tenants.mine(directory, caller.userId());
          if (mine.isEmpty()) {
            return View.redirect("/console/organizations/new");
          }
          if (mine.size() == 1) {
            return View.redirect("/console/t/" + mine.getFirst().id() + "/");
          }
          return View.page("organizations").with("organizations", mine);
        });
  }

  private void newOrganization(RoutingContext ctx) {
    Pages.requireCaller(ctx);
    pages.show(ctx, () -> organizationForm(Form.empty()));
  }

  private void createOrganization(RoutingContext ctx) {
    Caller caller = Pages.requireCaller(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    Form form = Form.of(ctx.request().formAttributes());
    Tenants.CreateTenant input = new Tenants.CreateTenant(in.text("slug"), in.text("name"));
    pages.show(
        ctx,
        () -> {
          try {
            UUID tenantId = Tenants.validate(input);
            pages.transactor().inNewTenant(caller, tenantId, tx -> tenants.create(tx, input));
            return View.redirect("/console/t/" + tenantId + "/");
          } catch (ApiFailure failure) {
            if (failure.kind() == ProblemKind.CONFLICT) {
              form.error("/slug", failure.detail());
            } else if (failure.kind() == ProblemKind.VALIDATION_FAILED) {
              form.failed(failure);
            } else {
              throw failure;
            }
            return organizationForm(form).status(failure.kind().status());
          }
        });
  }

  private static View organizationForm(Form form) {
    return View.page("organization-new").with("form", form.placing(Set.of("/slug", "/name")));
  }
}
