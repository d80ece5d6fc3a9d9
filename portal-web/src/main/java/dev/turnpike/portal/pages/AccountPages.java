package dev.turnpike.portal.pages;

import dev.turnpike.portal.api.ApiError;
import dev.turnpike.portal.api.ControlPlaneApi;
import dev.turnpike.portal.web.Auth;
import dev.turnpike.portal.web.Pages;
import dev.turnpike.portal.web.PortalFailure;
import dev.turnpike.portal.web.TenantHosts;
import dev.turnpike.webkit.oidc.LoginRefused;
import dev.turnpike.webkit.oidc.OidcLogin;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/** Sign-up, sign-in and sign-out through the identity provider, and the developer profile. */
public final class AccountPages {
  static final String CALLBACK = "/oidc/callback";

  private final Pages pages;
  private final ControlPlaneApi api;
  private final OidcLogin login;
  private final Auth auth;
  private final TenantHosts hosts;

  public AccountPages(
      Pages pages, ControlPlaneApi api, OidcLogin login, Auth auth, TenantHosts hosts) {
    this.pages = pages;
    this.api = api;
    this.login = login;
    this.auth = auth;
    this.hosts = hosts;
  }

  public void mount(Router router) {
    router.get("/portal/:tenant/signin").handler(ctx -> begin(ctx, false));
    router.get("/portal/:tenant/signup").handler(ctx -> begin(ctx, true));
    router.get(CALLBACK).handler(this::callback);
    router.post("/portal/:tenant/signout").handler(this::signOut);
    router.get("/portal/:tenant/profile").handler(this::profile);
    router.post("/portal/:tenant/profile").handler(this::saveProfile);
  }

  private void begin(RoutingContext ctx, boolean signUp) {
    pages
        .tenant(ctx)
        .compose(
            tenant -> {
              String base = "/portal/" + tenant.getString("slug");
              String back = safeReturn(ctx.queryParams().get("return"), base);
              return login.begin(
                  ctx,
                  hosts.baseUrl(ctx) + CALLBACK,
                  signUp,
                  Map.of("return", back, "tenant", tenant.getString("slug")));
            })
        .onSuccess(url -> Pages.redirect(ctx, url))
        .onFailure(ctx::fail);
  }

  private void callback(RoutingContext ctx) {
    login
        .complete(ctx)
        .compose(
            completed -> {
              Auth.signIn(ctx, completed.signedIn());
              String tenant = completed.carried().get("tenant");
              return registered(tenant, completed.signedIn().tokens().accessToken())
                  .map(
                      registered ->
                          registered
                              ? completed.carried().get("return")
                              : "/portal/" + tenant + "/profile?welcome=1");
            })
        .onSuccess(location -> Pages.redirect(ctx, location))
        .onFailure(
            e -> {
              if (e instanceof LoginRefused refused
                  && refused.reason() == LoginRefused.Reason.DECLINED) {
                Pages.flash(ctx, "error", "Sign-in was cancelled.");
                Pages.redirect(ctx, "/portal/" + refused.carried().get("tenant"));
              } else if (e instanceof LoginRefused) {
                ctx.fail(
                    new PortalFailure(
                        PortalFailure.Kind.EXPIRED_FORM,
                        "This sign-in link has expired or was opened in another browser. Please"
                            + " sign in again."));
              } else {
                ctx.fail(e);
              }
            });
  }

  private Future<Boolean> registered(String tenant, String accessToken) {
    return api.get(ControlPlaneApi.portal(tenant, "/me"), accessToken)
        .map(me -> true)
        .recover(
            e ->
                e instanceof ApiError error && error.status() == 404
                    ? Future.succeededFuture(false)
                    : Future.failedFuture(e));
  }

  private void signOut(RoutingContext ctx) {
    String tenant = ctx.pathParam("tenant");
    String home = hosts.baseUrl(ctx) + "/portal/" + ControlPlaneApi.segment(tenant);
    auth.signOut(ctx, home)
        .onSuccess(location -> Pages.redirect(ctx, location))
        .onFailure(ctx::fail);
  }

  private void profile(RoutingContext ctx) {
    pages
        .tenant(ctx)
        .compose(
            tenant ->
                auth.accessToken(ctx)
                    .compose(
                        token ->
                            api.get(ControlPlaneApi.portal(tenant.getString("slug"), "/me"), token)
                                .recover(
                                    e ->
                                        e instanceof ApiError error && error.status() == 404
                                            ? Future.succeededFuture(null)
                                            : Future.failedFuture(e)))
                    .onSuccess(
                        me -> {
                          JsonObject user = Auth.user(ctx);
                          Map<String, Object> model = new HashMap<>();
                          model.put("title", "Your developer profile");
                          model.put("registered", me != null);
                          model.put(
                              "displayName",
                              me != null ? me.getString("displayName") : user.getString("name"));
                          model.put(
                              "email",
                              me != null ? me.getString("email") : user.getString("email"));
                          model.put("company", me == null ? "" : me.getString("company"));
                          pages.render(ctx, tenant, "profile", model);
                        }))
        .onFailure(ctx::fail);
  }

  private void saveProfile(RoutingContext ctx) {
    String tenant = ctx.pathParam("tenant");
    JsonObject body =
        new JsonObject()
            .put("displayName", ctx.request().getFormAttribute("displayName"))
            .put("email", ctx.request().getFormAttribute("email"))
            .put("company", ctx.request().getFormAttribute("company"));
    auth.accessToken(ctx)
        .compose(token -> api.put(ControlPlaneApi.portal(tenant, "/me"), token, body))
        .onSuccess(
            me -> {
              Pages.flash(ctx, "ok", "Your profile is saved.");
              Pages.redirect(ctx, "/portal/" + ControlPlaneApi.segment(tenant) + "/apps");
            })
        .onFailure(e -> FormErrors.back(ctx, e, "/portal/" + tenant + "/profile"));
  }

  /** Only a path inside this portal: never another site (open redirect). */
  static String safeReturn(String value, String fallback) {
    if (value == null
        || !value.startsWith("/portal/")
        || value.contains("//")
        || value.contains("\\")
        || value.length() > 500) {
      return fallback;
    }
    return value;
  }
}
