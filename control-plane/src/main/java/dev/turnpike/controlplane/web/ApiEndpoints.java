package dev.turnpike.controlplane.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.api.Apis;
import dev.turnpike.controlplane.api.Integrations;
import dev.turnpike.controlplane.api.Routes;
import dev.turnpike.controlplane.api.TestInvocation;
import dev.turnpike.controlplane.auth.Caller;
import io.vertx.ext.web.Router;
import java.util.UUID;

/** APIs, their integrations and routes. */
final class ApiEndpoints implements Endpoints {
  static final String APIS = "/v1/tenants/:tenantId/apis";
  static final String API = APIS + "/:apiId";

  private final Http http;
  private final Apis apis;
  private final Integrations integrations;
  private final Routes routes;
  private final TestInvocation testInvocation;

  ApiEndpoints(
      Http http,
      Apis apis,
      Integrations integrations,
      Routes routes,
      TestInvocation testInvocation) {
    this.http = http;
    this.apis = apis;
    this.integrations = integrations;
    this.routes = routes;
    this.testInvocation = testInvocation;
  }

  @Override
  public void mount(Router router) {
    router
        .post(APIS)
        .handler(
            ctx -> {
              var in = http.body(ctx, Apis.CreateApi.class);
              http.inTenant(ctx, WRITE, 201, tx -> apis.create(tx, in));
            });
    router.get(APIS).handler(ctx -> http.inTenant(ctx, READ, 200, apis::list));
    router
        .get(API)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              http.inTenant(ctx, READ, 200, tx -> apis.get(tx, apiId));
            });
    router
        .put(API)
        .handler(
            ctx -> {
              var in = http.body(ctx, Apis.UpdateApi.class);
              UUID apiId = apiId(ctx);
              http.inTenant(ctx, WRITE, 200, tx -> apis.update(tx, apiId, in));
            });
    router
        .delete(API)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              http.inTenant(
                  ctx,
                  WRITE,
                  204,
                  tx -> {
                    apis.delete(tx, apiId);
                    return null;
                  });
            });

    String list = API + "/integrations";
    String one = list + "/:integrationId";
    router
        .post(list)
        .handler(
            ctx -> {
              var in = http.body(ctx, Integrations.IntegrationInput.class);
              UUID apiId = apiId(ctx);
              http.inTenant(ctx, WRITE, 201, tx -> integrations.create(tx, apiId, in));
            });
    router
        .get(list)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              http.inTenant(ctx, READ, 200, tx -> integrations.list(tx, apiId));
            });
    router
        .get(one)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = http.id(ctx, "integrationId", "Integration");
              http.inTenant(ctx, READ, 200, tx -> integrations.get(tx, apiId, id));
            });
    router
        .put(one)
        .handler(
            ctx -> {
              var in = http.body(ctx, Integrations.IntegrationInput.class);
              UUID apiId = apiId(ctx);
              UUID id = http.id(ctx, "integrationId", "Integration");
              http.inTenant(ctx, WRITE, 200, tx -> integrations.update(tx, apiId, id, in));
            });
    router
        .delete(one)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = http.id(ctx, "integrationId", "Integration");
              http.inTenant(
                  ctx,
                  WRITE,
                  204,
                  tx -> {
                    integrations.delete(tx, apiId, id);
                    return null;
                  });
            });
    router
        .post(one + "/test-invocation")
        .handler(
            ctx -> {
              var in = http.body(ctx, TestInvocation.SampleRequest.class);
              UUID apiId = apiId(ctx);
              UUID id = http.id(ctx, "integrationId", "Integration");
              Caller caller = http.caller(ctx);
              UUID tenantId = http.id(ctx, "tenantId", "Tenant");
              // Read in a short transaction, then render outside it: templates may take their
              // whole budget and need no connection.
              http.blocking(
                  ctx,
                  200,
                  () ->
                      testInvocation.run(
                          http.transactor()
                              .inTenant(
                                  caller, tenantId, READ, tx -> integrations.get(tx, apiId, id)),
                          in));
            });

    String routeList = API + "/routes";
    String route = routeList + "/:routeId";
    router
        .post(routeList)
        .handler(
            ctx -> {
              var in = http.body(ctx, Routes.RouteInput.class);
              UUID apiId = apiId(ctx);
              http.inTenant(ctx, WRITE, 201, tx -> routes.create(tx, apiId, in));
            });
    router
        .get(routeList)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              http.inTenant(ctx, READ, 200, tx -> routes.list(tx, apiId));
            });
    router
        .get(route)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = http.id(ctx, "routeId", "Route");
              http.inTenant(ctx, READ, 200, tx -> routes.get(tx, apiId, id));
            });
    router
        .put(route)
        .handler(
            ctx -> {
              var in = http.body(ctx, Routes.RouteInput.class);
              UUID apiId = apiId(ctx);
              UUID id = http.id(ctx, "routeId", "Route");
              http.inTenant(ctx, WRITE, 200, tx -> routes.update(tx, apiId, id, in));
            });
    router
        .delete(route)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = http.id(ctx, "routeId", "Route");
              http.inTenant(
                  ctx,
                  WRITE,
                  204,
                  tx -> {
                    routes.delete(tx, apiId, id);
                    return null;
                  });
            });
  }

  private UUID apiId(io.vertx.ext.web.RoutingContext ctx) {
    return http.id(ctx, "apiId", "API");
  }
}
