package dev.turnpike.controlplane.web;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.usage.UsageReports;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Metered usage: GetUsage of a plan, and the daily use of an app's keys. */
final class UsageEndpoints implements Endpoints {
  private final Http http;
  private final UsageReports reports;

  UsageEndpoints(Http http, UsageReports reports) {
    this.http = http;
    this.reports = reports;
  }

  @Override
  public void mount(Router router) {
    router
        .get("/v1/tenants/:tenantId/usage-plans/:planId/usage")
        .handler(
            ctx -> {
              UUID planId = http.id(ctx, "planId", "Usage plan");
              http.inTenant(
                  ctx,
                  READ,
                  200,
                  tx ->
                      reports.planUsage(
                          tx,
                          planId,
                          query(ctx, "keyId"),
                          query(ctx, "startDate"),
                          query(ctx, "endDate")));
            });
    router
        .get("/v1/tenants/:tenantId/apps/:appId/usage")
        .handler(
            ctx -> {
              UUID appId = http.id(ctx, "appId", "App");
              http.inTenant(
                  ctx,
                  READ,
                  200,
                  tx ->
                      reports.appUsage(tx, appId, query(ctx, "startDate"), query(ctx, "endDate")));
            });
  }

  private static String query(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
