package dev.turnpike.controlplane.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.deployment.StageClientCertificates;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * A stage's client certificate for its backends: {@code PUT} uploads (or replaces) it with its key,
 * {@code GET} shows it without the key, {@code DELETE} removes it.
 */
final class StageCertificateEndpoints implements Endpoints {
  private final Http http;
  private final StageClientCertificates certificates;

  StageCertificateEndpoints(Http http, StageClientCertificates certificates) {
    this.http = http;
    this.certificates = certificates;
  }

  @Override
  public void mount(Router router) {
    String one = ApiEndpoints.API + "/stages/:stageId/client-certificate";
    router
        .put(one)
        .handler(
            ctx -> {
              var in = http.body(ctx, StageClientCertificates.ClientCertificateInput.class);
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(ctx, WRITE, 200, tx -> certificates.put(tx, apiId, id, in));
            });
    router
        .get(one)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(ctx, READ, 200, tx -> certificates.get(tx, apiId, id));
            });
    router
        .delete(one)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx,
                  WRITE,
                  204,
                  tx -> {
                    certificates.delete(tx, apiId, id);
                    return null;
                  });
            });
  }

  private UUID apiId(RoutingContext ctx) {
    return http.id(ctx, "apiId", "API");
  }

  private UUID stageId(RoutingContext ctx) {
    return http.id(ctx, "stageId", "Stage");
  }
}
