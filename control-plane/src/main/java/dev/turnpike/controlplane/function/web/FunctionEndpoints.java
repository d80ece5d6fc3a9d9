package dev.turnpike.controlplane.function.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.function.Functions;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.Http;
import io.vertx.ext.web.Router;

/** A tenant's function registry: {@code /v1/tenants/{tenantId}/functions/{name}}. */
public final class FunctionEndpoints implements Endpoints {
  private final Http http;
  private final Functions functions;

  public FunctionEndpoints(Http http, Functions functions) {
    this.http = http;
    this.functions = functions;
  }

  @Override
  public void mount(Router router) {
    String list = "/v1/tenants/:tenantId/functions";
    String one = list + "/:name";
    router.get(list).handler(ctx -> http.inTenant(ctx, READ, 200, functions::list));
    router
        .put(one)
        .handler(
            ctx -> {
              var in = http.body(ctx, Functions.FunctionInput.class);
              String name = ctx.pathParam("name");
              // 200 for a registration and a replacement alike: the PUT states the function.
              http.inTenant(ctx, WRITE, 200, tx -> functions.put(tx, name, in));
            });
    router
        .get(one)
        .handler(
            ctx -> {
              String name = ctx.pathParam("name");
              http.inTenant(ctx, READ, 200, tx -> functions.get(tx, name));
            });
    router
        .delete(one)
        .handler(
            ctx -> {
              String name = ctx.pathParam("name");
              http.inTenant(
                  ctx,
                  WRITE,
                  204,
                  tx -> {
                    functions.delete(tx, name);
                    return null;
                  });
            });
  }
}
