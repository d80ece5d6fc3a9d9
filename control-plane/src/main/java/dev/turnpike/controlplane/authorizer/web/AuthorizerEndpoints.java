package dev.turnpike.controlplane.authorizer.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.authorizer.AuthorizerSpec;
import dev.turnpike.controlplane.authorizer.Authorizers;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.Http;
import io.vertx.ext.web.Router;
import java.util.UUID;

/** An API's authorizers: {@code /v1/tenants/{tenantId}/apis/{apiId}/authorizers/{name}}. */
public final class AuthorizerEndpoints implements Endpoints {
  private final Http http;
  private final Authorizers authorizers;

  public AuthorizerEndpoints(Http http, Authorizers authorizers) {
    this.http = http;
    this.authorizers = authorizers;
  }

  @Override
  public void mount(Router router) {
    String list = "/v1/tenants/:tenantId/apis/:apiId/authorizers";
    String one = list + "/:name";
    router
        .get(list)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              http.inTenant(ctx, READ, 200, tx -> authorizers.list(tx, apiId));
            });
    router
        .put(one)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              var in = http.body(ctx, AuthorizerSpec.class);
              String name = ctx.pathParam("name");
              // 200 for a creation and a replacement alike: the PUT states the authorizer.
              http.inTenant(ctx, WRITE, 200, tx -> authorizers.put(tx, apiId, name, in));
            });
    router
        .get(one)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              String name = ctx.pathParam("name");
              http.inTenant(ctx, READ, 200, tx -> authorizers.get(tx, apiId, name));
            });
    router
        .delete(one)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              String name = ctx.pathParam("name");
              http.inTenant(
                  ctx,
                  WRITE,
                  204,
                  tx -> {
                    authorizers.delete(tx, apiId, name);
                    return null;
                  });
            });
  }
}
