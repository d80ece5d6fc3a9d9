package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import java.util.UUID;

/**
 * An API's upstreams (issue 18), read-only: each upstream's balancing, health check and targets
 * with their weights, as a deployment will freeze them. Targets' live health differs per gateway
 * node, so it is in each node's metrics, not here; upstreams are stated through the management API.
 */
public final class UpstreamPages {
  private final Pages pages;
  private final UseCases u;

  public UpstreamPages(Pages pages, UseCases u) {
    this.pages = pages;
    this.u = u;
  }

  public void mount(Router router) {
    router
        .get(ApiPages.API + "/upstreams")
        .handler(
            ctx -> {
              UUID apiId = ApiPages.apiId(ctx);
              pages.inTenant(
                  ctx,
                  READ,
                  tx ->
                      View.page("upstreams")
                          .with("nav", "apis")
                          .with("api", u.apis().get(tx, apiId))
                          .with("upstreams", u.upstreams().list(tx, apiId)));
            });
  }
}
