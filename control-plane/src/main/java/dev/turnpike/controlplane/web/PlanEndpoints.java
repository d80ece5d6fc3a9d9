package dev.turnpike.controlplane.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.plan.UsagePlans;
import io.vertx.ext.web.Router;
import java.util.UUID;

/** Usage plans. */
final class PlanEndpoints implements Endpoints {
  private final Http http;
  private final UsagePlans plans;

  PlanEndpoints(Http http, UsagePlans plans) {
    this.http = http;
    this.plans = plans;
  }

  @Override
  public void mount(Router router) {
    String list = "/v1/tenants/:tenantId/usage-plans";
    String one = list + "/:planId";
    router
        .post(list)
        .handler(
            ctx -> {
              var in = http.body(ctx, UsagePlans.PlanInput.class);
              http.inTenant(ctx, WRITE, 201, tx -> plans.create(tx, in));
            });
    router.get(list).handler(ctx -> http.inTenant(ctx, READ, 200, plans::list));
    router
        .get(one)
        .handler(
            ctx -> {
              UUID id = http.id(ctx, "planId", "Usage plan");
              http.inTenant(ctx, READ, 200, tx -> plans.get(tx, id));
            });
    router
        .put(one)
        .handler(
            ctx -> {
              var in = http.body(ctx, UsagePlans.PlanInput.class);
              UUID id = http.id(ctx, "planId", "Usage plan");
              http.inTenant(ctx, WRITE, 200, tx -> plans.update(tx, id, in));
            });
    router
        .delete(one)
        .handler(
            ctx -> {
              UUID id = http.id(ctx, "planId", "Usage plan");
              http.inTenant(
                  ctx,
                  WRITE,
                  204,
                  tx -> {
                    plans.delete(tx, id);
                    return null;
                  });
            });
  }
}
