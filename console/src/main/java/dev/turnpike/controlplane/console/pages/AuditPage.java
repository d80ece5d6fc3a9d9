package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;

/** The tenant's audit log, newest first, a page at a time. */
public final class AuditPage {
  static final int PAGE_SIZE = 50;

  private final Pages pages;
  private final UseCases u;

  public AuditPage(Pages pages, UseCases u) {
    this.pages = pages;
    this.u = u;
  }

  public void mount(Router router) {
    router
        .get("/t/:tenantId/audit")
        .handler(
            ctx -> {
              long before = before(ctx.request().getParam("before"));
              pages.inTenant(
                  ctx,
                  READ,
                  tx ->
                      View.page("audit")
                          .with("nav", "audit")
                          .with("page", u.auditLog().page(tx, PAGE_SIZE, before))
                          .with("first", before == Long.MAX_VALUE));
            });
  }

  private static long before(String value) {
    if (value == null || value.isBlank()) {
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
    throw ApiFailure.invalid("before", "must be a positive whole number (an audit entry id)");
  }
}
