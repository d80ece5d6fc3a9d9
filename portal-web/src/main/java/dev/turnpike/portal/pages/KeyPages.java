package dev.turnpike.portal.pages;

import static dev.turnpike.portal.pages.AppPages.base;
import static dev.turnpike.portal.pages.AppPages.blankToNull;
import static dev.turnpike.portal.pages.AppPages.uuid;

import dev.turnpike.portal.api.ControlPlaneApi;
import dev.turnpike.portal.web.Auth;
import dev.turnpike.portal.web.Pages;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * An app's keys: issue, rotate and revoke. A new key goes into the session for the next view of the
 * app page only, which shows it once and forgets it.
 */
final class KeyPages {
  static final String NEW_KEY = "newKey";

  private final ControlPlaneApi api;
  private final Auth auth;
  private final AppPages apps;

  KeyPages(ControlPlaneApi api, Auth auth, AppPages apps) {
    this.api = api;
    this.auth = auth;
    this.apps = apps;
  }

  void mount(Router router, String app) {
    router.post(app + "/keys").handler(this::createKey);
    router.post(app + "/keys/:key/rotate").handler(this::rotateKey);
    router
        .post(app + "/keys/:key/revoke")
        .handler(
            ctx ->
                apps.change(
                    ctx,
                    (token, path) ->
                        api.post(
                            path + "/keys/" + uuid(ctx.pathParam("key")) + "/revoke", token, null),
                    "The key is revoked; calls with it are refused from now on."));
  }

  private void createKey(RoutingContext ctx) {
    String tenant = ctx.pathParam("tenant");
    String appId = uuid(ctx.pathParam("app"));
    String page = base(tenant) + "/apps/" + appId;
    JsonObject body =
        new JsonObject().put("name", blankToNull(ctx.request().getFormAttribute("name")));
    auth.accessToken(ctx)
        .compose(
            token ->
                api.post(ControlPlaneApi.portal(tenant, "/apps/" + appId + "/keys"), token, body))
        .onSuccess(
            issued -> {
              showOnce(ctx, appId, issued, null);
              Pages.redirect(ctx, page + "#new-key");
            })
        .onFailure(e -> FormErrors.back(ctx, e, page));
  }

  private void rotateKey(RoutingContext ctx) {
    String tenant = ctx.pathParam("tenant");
    String appId = uuid(ctx.pathParam("app"));
    String keyId = uuid(ctx.pathParam("key"));
    String page = base(tenant) + "/apps/" + appId;
    auth.accessToken(ctx)
        .compose(
            token ->
                api.post(
                    ControlPlaneApi.portal(tenant, "/apps/" + appId + "/keys/" + keyId + "/rotate"),
                    token,
                    new JsonObject()))
        .onSuccess(
            issued -> {
              JsonObject previous = issued.getJsonObject("previous");
              showOnce(
                  ctx, appId, issued, previous == null ? null : previous.getString("expiresAt"));
              Pages.redirect(ctx, page + "#new-key");
            })
        .onFailure(e -> FormErrors.back(ctx, e, page));
  }

  /** Keeps the full key for the next page view only; it is never stored anywhere else. */
  private static void showOnce(RoutingContext ctx, String appId, JsonObject issued, String until) {
    ctx.session()
        .put(
            NEW_KEY,
            new JsonObject()
                .put("appId", appId)
                .put("key", issued.getString("key"))
                .put("prefix", issued.getString("prefix"))
                .put("name", issued.getString("name"))
                .put("oldValidUntil", until));
  }
}
