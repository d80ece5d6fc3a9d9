package dev.turnpike.controlplane.websocket.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.Http;
import dev.turnpike.controlplane.websocket.WebSocketApi;
import dev.turnpike.controlplane.websocket.WebSocketApis;
import io.vertx.ext.web.Router;
import java.util.UUID;

/**
 * An API's WebSocket definition: {@code /v1/tenants/{tenantId}/apis/{apiId}/websocket}, in
 * Turnpike's export format (GET exports, PUT imports).
 */
public final class WebSocketApiEndpoints implements Endpoints {
  private final Http http;
  private final WebSocketApis apis;

  public WebSocketApiEndpoints(Http http, WebSocketApis apis) {
    this.http = http;
    this.apis = apis;
  }

  @Override
  public void mount(Router router) {
    String path = "/v1/tenants/:tenantId/apis/:apiId/websocket";
    router
        .put(path)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              var in = http.body(ctx, WebSocketApi.class);
              http.inTenant(ctx, WRITE, 200, tx -> apis.put(tx, apiId, in));
            });
    router
        .get(path)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              http.inTenant(ctx, READ, 200, tx -> apis.get(tx, apiId));
            });
    router
        .delete(path)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              http.inTenant(
                  ctx,
                  WRITE,
                  204,
                  tx -> {
                    apis.delete(tx, apiId);
                    return null;
                  });
            });
  }
}
