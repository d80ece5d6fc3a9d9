package dev.turnpike.portal.pages;

import dev.turnpike.portal.api.ApiError;
import dev.turnpike.portal.api.ControlPlaneApi;
import dev.turnpike.portal.web.Auth;
import dev.turnpike.portal.web.Json;
import dev.turnpike.portal.web.Pages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The catalog with search, an API's page (docs, plans, try-it) and the tenant's theme. */
public final class CatalogPages {
  private final Pages pages;
  private final ControlPlaneApi api;
  private final Auth auth;
  private final TryIt tryIt;

  public CatalogPages(Pages pages, ControlPlaneApi api, Auth auth, TryIt tryIt) {
    this.pages = pages;
    this.api = api;
    this.auth = auth;
    this.tryIt = tryIt;
  }

  public void mount(Router router) {
    router.get("/portal/:tenant").handler(this::catalog);
    router.get("/portal/:tenant/").handler(this::catalog);
    router.get("/portal/:tenant/theme.css").handler(this::theme);
    router.get("/portal/:tenant/apis/:api").handler(ctx -> apiPage(ctx, null));
    router.get("/portal/:tenant/apis/:api/openapi.json").handler(this::document);
    router.post("/portal/:tenant/apis/:api/try").handler(this::tryCall);
  }

  private void catalog(RoutingContext ctx) {
    String q = ctx.queryParams().get("q");
    pages
        .tenant(ctx)
        .compose(
            tenant -> {
              String path =
                  "/apis" + (q == null || q.isBlank() ? "" : "?q=" + ControlPlaneApi.segment(q));
              return api.get(ControlPlaneApi.portal(tenant.getString("slug"), path), null)
                  .onSuccess(
                      apis -> {
                        Map<String, Object> model = new HashMap<>();
                        model.put("title", "API catalog");
                        model.put("q", q == null ? "" : q);
                        model.put("apis", Json.items(apis));
                        pages.render(ctx, tenant, "catalog", model);
                      });
            })
        .onFailure(ctx::fail);
  }

  private void theme(RoutingContext ctx) {
    pages
        .tenant(ctx)
        .onSuccess(
            tenant -> {
              JsonObject branding = tenant.getJsonObject("branding", new JsonObject());
              // Only validated hex colours reach the stylesheet: nothing the owner typed is
              // copied into CSS as it is.
              String css =
                  ":root{--primary:"
                      + Pages.colorOf(branding.getString("primaryColor"), "#1f4b99")
                      + ";--accent:"
                      + Pages.colorOf(branding.getString("accentColor"), "#e8a33d")
                      + "}\n";
              ctx.response()
                  .putHeader("Content-Type", "text/css; charset=utf-8")
                  .putHeader("Cache-Control", "max-age=60")
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .end(css);
            })
        .onFailure(ctx::fail);
  }

  void apiPage(RoutingContext ctx, Map<String, Object> tried) {
    String apiSlug = ctx.pathParam("api");
    pages
        .tenant(ctx)
        .compose(
            tenant -> {
              String slug = tenant.getString("slug");
              Future<JsonObject> published =
                  api.get(
                      ControlPlaneApi.portal(slug, "/apis/" + ControlPlaneApi.segment(apiSlug)),
                      null);
              Future<List<Object>> apps =
                  Auth.signedIn(ctx)
                      ? auth.accessToken(ctx)
                          .compose(token -> api.get(ControlPlaneApi.portal(slug, "/apps"), token))
                          .map(Json::items)
                          .recover(e -> Future.succeededFuture(List.of()))
                      : Future.succeededFuture(List.of());
              // map, not onSuccess: an unknown stage fails the page with a 404 of its own.
              return Future.all(published, apps)
                  .map(
                      done -> {
                        Map<String, Object> model = new HashMap<>();
                        JsonObject found = published.result().copy();
                        found.put(
                            "plans",
                            StageReference.withStages(
                                PlanTerms.describe(found.getJsonArray("plans", new JsonArray())),
                                found.getString("slug")));
                        JsonObject shown = StageReference.shown(found, wanted(ctx, tried));
                        model.put("shown", shown == null ? null : Json.plain(shown));
                        model.put("title", found.getString("name"));
                        model.put("api", Json.plain(found));
                        model.put("apps", apps.result());
                        model.put("tried", tried);
                        model.put("gatewayBase", tryIt.gatewayBase(slug, apiSlug));
                        pages.render(ctx, tenant, "api", model);
                        return done;
                      });
            })
        .onFailure(ctx::fail);
  }

  /**
   * The stage whose reference the page shows: the one just tried, else the one asked for in the
   * address, else (null) the first.
   */
  private static String wanted(RoutingContext ctx, Map<String, Object> tried) {
    if (tried != null && tried.get("stage") instanceof String stage) {
      return stage;
    }
    return ctx.queryParams().get("stage");
  }

  private void document(RoutingContext ctx) {
    String tenant = ctx.pathParam("tenant");
    String apiSlug = ctx.pathParam("api");
    String stage = ctx.queryParams().get("stage");
    String query = stage == null ? "" : "?stage=" + ControlPlaneApi.segment(stage);
    api.get(
            ControlPlaneApi.portal(
                tenant, "/apis/" + ControlPlaneApi.segment(apiSlug) + "/openapi" + query),
            null)
        .onSuccess(
            doc -> {
              // Swagger UI runs in the page and calls nothing but this document: requests go
              // through the server-side try-it panel, so the page's CSP stays 'self'.
              ctx.response()
                  .putHeader("Content-Type", "application/json")
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .end(doc.encode());
            })
        .onFailure(ctx::fail);
  }

  private void tryCall(RoutingContext ctx) {
    String tenant = ctx.pathParam("tenant");
    String apiSlug = ctx.pathParam("api");
    api.get(ControlPlaneApi.portal(tenant, "/apis/" + ControlPlaneApi.segment(apiSlug)), null)
        .compose(published -> tryIt.call(ctx, tenant, published))
        .onSuccess(result -> apiPage(ctx, result))
        .onFailure(
            e -> {
              if (e instanceof ApiError || e instanceof dev.turnpike.portal.web.PortalFailure) {
                ctx.fail(e);
              } else {
                Map<String, Object> failed = new HashMap<>();
                failed.put("error", e.getMessage());
                apiPage(ctx, failed);
              }
            });
  }
}
