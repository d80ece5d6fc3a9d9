package dev.turnpike.portal.pages;

import dev.turnpike.portal.api.ControlPlaneApi;
import dev.turnpike.portal.web.Auth;
import dev.turnpike.portal.web.Json;
import dev.turnpike.portal.web.Pages;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/** The invoices of the developer's apps, and one invoice with its lines. */
public final class InvoicePages {
  private final Pages pages;
  private final ControlPlaneApi api;
  private final Auth auth;

  public InvoicePages(Pages pages, ControlPlaneApi api, Auth auth) {
    this.pages = pages;
    this.api = api;
    this.auth = auth;
  }

  public void mount(Router router) {
    router.get("/portal/:tenant/invoices").handler(this::list);
    router.get("/portal/:tenant/invoices/:invoice").handler(this::show);
  }

  private void list(RoutingContext ctx) {
    pages
        .tenant(ctx)
        .compose(
            tenant ->
                auth.accessToken(ctx)
                    .compose(
                        token ->
                            api.get(
                                ControlPlaneApi.portal(tenant.getString("slug"), "/invoices"),
                                token))
                    .onSuccess(
                        invoices -> {
                          Map<String, Object> model = new HashMap<>();
                          model.put("title", "Invoices");
                          model.put("invoices", Json.items(invoices));
                          pages.render(ctx, tenant, "invoices", model);
                        }))
        .onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx) {
    String id = AppPages.uuid(ctx.pathParam("invoice"));
    pages
        .tenant(ctx)
        .compose(
            tenant ->
                auth.accessToken(ctx)
                    .compose(
                        token ->
                            api.get(
                                ControlPlaneApi.portal(tenant.getString("slug"), "/invoices/" + id),
                                token))
                    .onSuccess(
                        invoice -> {
                          Map<String, Object> model = new HashMap<>();
                          model.put("title", "Invoice");
                          model.put("invoice", Json.plain(invoice));
                          pages.render(ctx, tenant, "invoice", model);
                        }))
        .onFailure(ctx::fail);
  }
}
