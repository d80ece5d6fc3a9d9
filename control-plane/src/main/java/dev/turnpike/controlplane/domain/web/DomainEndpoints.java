package dev.turnpike.controlplane.domain.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.domain.Domains;
import dev.turnpike.controlplane.domain.OwnershipCheck;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.Http;
import io.vertx.ext.web.Router;
import java.util.UUID;

/**
 * A tenant's custom domains: {@code /v1/tenants/{tenantId}/domains/{domainName}}, with {@code
 * /verify}, {@code /certificate} and {@code /mappings/{basePath}} under each.
 */
public final class DomainEndpoints implements Endpoints {
  private final Http http;
  private final Domains domains;

  public DomainEndpoints(Http http, Domains domains) {
    this.http = http;
    this.domains = domains;
  }

  @Override
  public void mount(Router router) {
    String list = "/v1/tenants/:tenantId/domains";
    String one = list + "/:domainName";
    router.get(list).handler(ctx -> http.inTenant(ctx, READ, 200, domains::list));
    router
        .post(list)
        .handler(
            ctx -> {
              var in = http.body(ctx, Domains.RegisterDomain.class);
              http.inTenant(ctx, WRITE, 201, tx -> domains.register(tx, in));
            });
    router
        .get(one)
        .handler(
            ctx -> {
              String name = ctx.pathParam("domainName");
              http.inTenant(ctx, READ, 200, tx -> domains.get(tx, name));
            });
    router
        .put(one)
        .handler(
            ctx -> {
              var in = http.body(ctx, Domains.SettingsInput.class);
              String name = ctx.pathParam("domainName");
              http.inTenant(ctx, WRITE, 200, tx -> domains.updateSettings(tx, name, in));
            });
    router
        .delete(one)
        .handler(
            ctx -> {
              String name = ctx.pathParam("domainName");
              http.inTenant(
                  ctx,
                  WRITE,
                  204,
                  tx -> {
                    domains.delete(tx, name);
                    return null;
                  });
            });
    router
        .post(one + "/verify")
        .handler(
            ctx -> {
              String name = ctx.pathParam("domainName");
              Caller caller = http.caller(ctx);
              UUID tenantId = http.id(ctx, "tenantId", "Tenant");
              var transactor = http.transactor();
              // The DNS lookup may take seconds: it runs between two transactions, not in one.
              http.blocking(
                  ctx,
                  200,
                  () -> {
                    Domains.Challenge challenge =
                        transactor.inTenant(
                            caller, tenantId, WRITE, tx -> domains.challenge(tx, name));
                    OwnershipCheck.Evidence answer = domains.look(challenge);
                    return transactor.inTenant(
                        caller, tenantId, WRITE, tx -> domains.verify(tx, challenge, answer));
                  });
            });
    router
        .put(one + "/certificate")
        .handler(
            ctx -> {
              var in = http.body(ctx, Domains.CertificateInput.class);
              String name = ctx.pathParam("domainName");
              http.inTenant(ctx, WRITE, 200, tx -> domains.putCertificate(tx, name, in));
            });
    String mappings = one + "/mappings";
    router
        .get(mappings)
        .handler(
            ctx -> {
              String name = ctx.pathParam("domainName");
              http.inTenant(ctx, READ, 200, tx -> domains.mappings(tx, name));
            });
    router
        .post(mappings)
        .handler(
            ctx -> {
              var in = http.body(ctx, Domains.MappingInput.class);
              String name = ctx.pathParam("domainName");
              http.inTenant(ctx, WRITE, 201, tx -> domains.createMapping(tx, name, in));
            });
    router
        .delete(mappings + "/:basePath")
        .handler(
            ctx -> {
              String name = ctx.pathParam("domainName");
              String basePath = ctx.pathParam("basePath");
              http.inTenant(
                  ctx,
                  WRITE,
                  204,
                  tx -> {
                    domains.deleteMapping(tx, name, basePath);
                    return null;
                  });
            });
  }
}
