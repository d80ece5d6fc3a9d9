package dev.turnpike.controlplane.portal.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.portal.Branding;
import dev.turnpike.controlplane.portal.DeveloperBlocks;
import dev.turnpike.controlplane.portal.Developers;
import dev.turnpike.controlplane.portal.PortalAdmin;
import dev.turnpike.controlplane.tenant.DeveloperCaps;
import dev.turnpike.controlplane.tenant.TenantCaps;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.Http;
import io.vertx.ext.web.Router;
import java.util.UUID;

/**
 * What tenant members manage of their portal: branding, plan visibility, approvals, developers
 * (blocking and unblocking them) and the caps on their keys and apps.
 */
public final class PortalOwnerEndpoints implements Endpoints {
  private final Http http;
  private final PortalAdmin admin;
  private final Developers developers;
  private final DeveloperBlocks blocks;
  private final TenantCaps caps;

  public PortalOwnerEndpoints(
      Http http,
      PortalAdmin admin,
      Developers developers,
      DeveloperBlocks blocks,
      TenantCaps caps) {
    this.http = http;
    this.admin = admin;
    this.developers = developers;
    this.blocks = blocks;
    this.caps = caps;
  }

  @Override
  public void mount(Router router) {
    String tenant = "/v1/tenants/:tenantId";
    router
        .get(tenant + "/portal/branding")
        .handler(ctx -> http.inTenant(ctx, READ, 200, admin::branding));
    router
        .put(tenant + "/portal/branding")
        .handler(
            ctx -> {
              var in = http.body(ctx, Branding.class);
              http.inTenant(ctx, WRITE, 200, tx -> admin.setBranding(tx, in));
            });
    router
        .get(tenant + "/developers")
        .handler(ctx -> http.inTenant(ctx, READ, 200, developers::list));
    router
        .post(tenant + "/developers/:userId/block")
        .handler(
            ctx -> {
              var in = http.body(ctx, DeveloperBlocks.Block.class);
              UUID userId = http.id(ctx, "userId", "Developer");
              http.inTenant(ctx, WRITE, 200, tx -> blocks.block(tx, userId, in));
            });
    router
        .post(tenant + "/developers/:userId/unblock")
        .handler(
            ctx -> {
              UUID userId = http.id(ctx, "userId", "Developer");
              http.inTenant(ctx, WRITE, 200, tx -> blocks.unblock(tx, userId));
            });
    router.get(tenant + "/developer-caps").handler(ctx -> http.inTenant(ctx, READ, 200, caps::get));
    router
        .put(tenant + "/developer-caps")
        .handler(
            ctx -> {
              var in = http.body(ctx, DeveloperCaps.class);
              http.inTenant(ctx, WRITE, 200, tx -> caps.put(tx, in));
            });
    router
        .put(tenant + "/usage-plans/:planId/portal-visibility")
        .handler(
            ctx -> {
              var in = http.body(ctx, PortalAdmin.Visibility.class);
              UUID planId = http.id(ctx, "planId", "Usage plan");
              http.inTenant(ctx, WRITE, 200, tx -> admin.setPlanVisibility(tx, planId, in));
            });
    router
        .post(tenant + "/apps/:appId/subscriptions/:subscriptionId/reject")
        .handler(
            ctx -> {
              UUID appId = http.id(ctx, "appId", "App");
              UUID id = http.id(ctx, "subscriptionId", "Subscription");
              http.inTenant(ctx, WRITE, 200, tx -> admin.reject(tx, appId, id));
            });
  }
}
