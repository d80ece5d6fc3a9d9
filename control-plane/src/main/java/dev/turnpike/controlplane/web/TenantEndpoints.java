package dev.turnpike.controlplane.web;

import dev.turnpike.controlplane.audit.AuditLog;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tenant.Access;
import dev.turnpike.controlplane.tenant.Members;
import dev.turnpike.controlplane.tenant.TenantDirectory;
import dev.turnpike.controlplane.tenant.TenantView;
import dev.turnpike.controlplane.tenant.Tenants;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.UUID;

/** The signed-in user, tenants, members and the audit log. */
final class TenantEndpoints implements Endpoints {
  private final Http http;
  private final Tenants tenants;
  private final Members members;
  private final TenantDirectory directory;
  private final AuditLog auditLog;

  TenantEndpoints(
      Http http, Tenants tenants, Members members, TenantDirectory directory, AuditLog auditLog) {
    this.http = http;
    this.tenants = tenants;
    this.members = members;
    this.directory = directory;
    this.auditLog = auditLog;
  }

  /** The signed-in user and the tenants they belong to. */
  record Me(UUID id, String subject, String email, String displayName, List<TenantView> tenants) {}

  @Override
  public void mount(Router router) {
    router
        .get("/v1/me")
        .handler(
            ctx -> {
              Caller caller = http.caller(ctx);
              http.blocking(
                  ctx,
                  200,
                  () ->
                      new Me(
                          caller.userId(),
                          caller.subject(),
                          caller.email(),
                          caller.displayName(),
                          tenants.mine(directory, caller.userId())));
            });
    router
        .post("/v1/tenants")
        .handler(
            ctx -> {
              var input = http.body(ctx, Tenants.CreateTenant.class);
              UUID tenantId = Tenants.validate(input);
              Caller caller = http.caller(ctx);
              http.blocking(
                  ctx,
                  201,
                  () ->
                      http.transactor()
                          .inNewTenant(caller, tenantId, tx -> tenants.create(tx, input)));
            });
    router
        .get("/v1/tenants")
        .handler(
            ctx -> {
              Caller caller = http.caller(ctx);
              http.blocking(ctx, 200, () -> tenants.mine(directory, caller.userId()));
            });
    router
        .get("/v1/tenants/:tenantId")
        .handler(ctx -> http.inTenant(ctx, Access.READ, 200, tenants::get));
    router
        .get("/v1/tenants/:tenantId/members")
        .handler(ctx -> http.inTenant(ctx, Access.READ, 200, members::list));
    router
        .put("/v1/tenants/:tenantId/members/:userId")
        .handler(
            ctx -> {
              var input = http.body(ctx, Members.PutMember.class);
              UUID userId = http.id(ctx, "userId", "User");
              http.inTenant(ctx, Access.MANAGE_MEMBERS, 200, tx -> members.put(tx, userId, input));
            });
    router
        .delete("/v1/tenants/:tenantId/members/:userId")
        .handler(
            ctx -> {
              UUID userId = http.id(ctx, "userId", "Member");
              http.inTenant(
                  ctx,
                  Access.MANAGE_MEMBERS,
                  204,
                  tx -> {
                    members.remove(tx, userId);
                    return null;
                  });
            });
    router
        .get("/v1/tenants/:tenantId/audit")
        .handler(
            ctx -> {
              int limit = intParam(ctx.queryParams().get("limit"), "limit", 50, 1, 500);
              long before = longParam(ctx.queryParams().get("before"), "before");
              http.inTenant(ctx, Access.READ, 200, tx -> auditLog.page(tx, limit, before));
            });
  }

  private static int intParam(String value, String name, int fallback, int min, int max) {
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiFailure.invalid(name, "must be a whole number from " + min + " to " + max);
  }

  private static long longParam(String value, String name) {
    if (value == null) {
      return Long.MAX_VALUE;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiFailure.invalid(name, "must be a positive whole number (an audit entry id)");
  }
}
