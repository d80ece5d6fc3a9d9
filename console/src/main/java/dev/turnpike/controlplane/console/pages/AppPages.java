package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.apikey.ApiKey;
import dev.turnpike.controlplane.app.App;
import dev.turnpike.controlplane.app.Subscription;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.auth.UserDirectory;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The apps of the tenant's developers, their subscriptions and keys; approving a subscription that
 * waits for the owner, revoking a key.
 */
public final class AppPages {
  /** An app with who owns it, what it subscribed to and its keys. */
  public record AppRow(
      App app, String owner, List<Subscription> subscriptions, List<ApiKey> keys) {}

  private final Pages pages;
  private final UseCases u;
  private final UserDirectory users;

  public AppPages(Pages pages, UseCases u, UserDirectory users) {
    this.pages = pages;
    this.u = u;
    this.users = users;
  }

  public void mount(Router router) {
    router.get("/t/:tenantId/apps").handler(ctx -> pages.inTenant(ctx, READ, this::list));
    router
        .post("/t/:tenantId/apps/:appId/keys/:keyId/revoke")
        .handler(
            ctx -> {
              UUID appId = Pages.id(ctx, "appId", "App");
              UUID keyId = Pages.id(ctx, "keyId", "API key");
              pages.submit(
                  ctx,
                  tx -> {
                    u.keys().revoke(tx, appId, keyId);
                    return View.redirect("/console/t/" + tx.tenantId() + "/apps#app-" + appId);
                  },
                  (tx, form) -> list(tx).with("form", form));
            });
    router
        .post("/t/:tenantId/apps/:appId/subscriptions/:subscriptionId/approve")
        .handler(
            ctx -> {
              UUID appId = Pages.id(ctx, "appId", "App");
              UUID subscriptionId = Pages.id(ctx, "subscriptionId", "Subscription");
              pages.submit(
                  ctx,
                  tx -> {
                    u.subscriptions().approve(tx, appId, subscriptionId);
                    return View.redirect("/console/t/" + tx.tenantId() + "/apps#app-" + appId);
                  },
                  (tx, form) -> list(tx).with("form", form));
            });
  }

  private View list(TenantTx tx) {
    Map<UUID, String> planNames = new HashMap<>();
    u.plans().list(tx).forEach(p -> planNames.put(p.id(), p.name()));
    Map<UUID, String> owners = new HashMap<>();
    List<AppRow> rows = new ArrayList<>();
    for (App app : u.apps().list(tx)) {
      String owner =
          owners.computeIfAbsent(
              app.ownerUserId(), id -> users.find(id).map(Caller::label).orElse(id.toString()));
      rows.add(
          new AppRow(
              app, owner, u.subscriptions().list(tx, app.id()), u.keys().list(tx, app.id())));
    }
    return View.page("apps").with("nav", "apps").with("apps", rows).with("planNames", planNames);
  }
}
