package dev.turnpike.controlplane.upstream.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.upstream.UpstreamSpec;
import dev.turnpike.controlplane.upstream.Upstreams;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.Http;
import io.vertx.ext.web.Router;
import java.util.UUID;

/** An API's upstreams: {@code /v1/tenants/{tenantId}/apis/{apiId}/upstreams/{name}}. */
public final class UpstreamEndpoints implements Endpoints {
  private final Http http;
  private final Upstreams upstreams;

  public UpstreamEndpoints(Http http, Upstreams upstreams) {
    this.http = http;
    this.upstreams = upstreams;
  }

  @Override
  public void mount(Router router) {
    String list = "/v1/tenants/:tenantId/apis/:apiId/upstreams";
    String one = list + "/:name";
    router
        .get(list)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              http.inTenant(ctx, READ, 200, tx -> upstreams.list(tx, apiId));
            });
    router
        .put(one)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              var in = http.body(ctx, UpstreamSpec.class);
              String name = ctx.pathParam("name");
              // 200 for a creation and a replacement alike: the PUT states the upstream.
              http.inTenant(ctx, WRITE, 200, tx -> upstreams.put(tx, apiId, name, in));
            });
    router
        .get(one)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              String name = ctx.pathParam("name");
              http.inTenant(ctx, READ, 200, tx -> upstreams.get(tx, apiId, name));
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
                    upstreams.delete(tx, apiId, name);
                    return null;
                  });
            });
  }
}
