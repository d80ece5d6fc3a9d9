package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.portal.Branding;
import dev.turnpike.controlplane.portal.PortalAdmin;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.UUID;

/**
 * The developer portal as its owner shapes it: the branding form (name, logo, two colours, checked
 * by the portal's own use case) and which usage plans the portal offers.
 */
public final class PortalPages {
  private static final Set<String> FIELDS =
      Set.of("/displayName", "/logoUrl", "/primaryColor", "/accentColor");

  private final Pages pages;
  private final UseCases u;
  private final PortalAdmin admin;

  public PortalPages(Pages pages, UseCases u, PortalAdmin admin) {
    this.pages = pages;
    this.u = u;
    this.admin = admin;
  }

  public void mount(Router router) {
    String page = "/t/:tenantId/portal";
    router
        .get(page)
        .handler(ctx -> pages.inTenant(ctx, READ, tx -> view(tx, values(admin.branding(tx)))));
    router.post(page + "/branding").handler(this::saveBranding);
    router
        .post(page + "/plans/:planId/visibility")
        .handler(ctx -> setVisibility(ctx, Pages.id(ctx, "planId", "Usage plan")));
  }

  private View view(TenantTx tx, Form form) {
    return View.page("portal")
        .with("nav", "portal")
        .with("form", form.placing(FIELDS))
        .with("plans", u.plans().list(tx))
        .with("hiddenPlans", admin.hiddenPlans(tx));
  }

  private void saveBranding(RoutingContext ctx) {
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          admin.setBranding(
              tx,
              new Branding(
                  in.text("displayName"),
                  in.text("logoUrl"),
                  in.text("primaryColor"),
                  in.text("accentColor")));
          return View.redirect("/console/t/" + tx.tenantId() + "/portal");
        },
        this::view);
  }

  private void setVisibility(RoutingContext ctx, UUID planId) {
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          admin.setPlanVisibility(tx, planId, new PortalAdmin.Visibility(in.checked("visible")));
          return View.redirect("/console/t/" + tx.tenantId() + "/portal");
        },
        (tx, sent) -> {
          // The toggle has no field of its own: its messages go above the branding form.
          Form form = values(admin.branding(tx));
          sent.unplaced().forEach(e -> form.error(e.pointer(), e.message()));
          return view(tx, form);
        });
  }

  private static Form values(Branding branding) {
    return Form.empty()
        .set("displayName", branding.displayName())
        .set("logoUrl", branding.logoUrl())
        .set("primaryColor", branding.primaryColor())
        .set("accentColor", branding.accentColor());
  }
}
