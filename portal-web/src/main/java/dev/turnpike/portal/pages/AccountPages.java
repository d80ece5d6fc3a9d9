package dev.turnpike.portal.pages;

import dev.turnpike.portal.api.ApiError;
import dev.turnpike.portal.api.ControlPlaneApi;
import dev.turnpike.portal.oidc.AuthorizationRequest;
import dev.turnpike.portal.oidc.OidcClient;
import dev.turnpike.portal.oidc.Tokens;
import dev.turnpike.portal.web.Auth;
import dev.turnpike.portal.web.Pages;
import dev.turnpike.portal.web.PortalFailure;
import dev.turnpike.portal.web.TenantHosts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

/** Sign-up, sign-in and sign-out through the identity provider, and the developer profile. */
public final class AccountPages {
  static final String CALLBACK = "/oidc/callback";
  private static final String PENDING = "oidc.pending";

  private final Pages pages;
  private final ControlPlaneApi api;
  private final OidcClient oidc;
  private final Auth auth;
  private final TenantHosts hosts;

  public AccountPages(
      Pages pages, ControlPlaneApi api, OidcClient oidc, Auth auth, TenantHosts hosts) {
    this.pages = pages;
    this.api = api;
    this.oidc = oidc;
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
        .onSuccess(
            tenant -> {
              String base = "/portal/" + tenant.getString("slug");
              String back = safeReturn(ctx.queryParams().get("return"), base);
              String redirect = hosts.baseUrl(ctx) + CALLBACK;
              AuthorizationRequest request = oidc.begin(redirect, signUp);
              ctx.session()
                  .put(
                      PENDING,
                      new JsonObject()
                          .put("state", request.state())
                          .put("nonce", request.nonce())
                          .put("verifier", request.verifier())
                          .put("return", back)
                          .put("redirect", redirect)
                          .put("tenant", tenant.getString("slug")));
              Pages.redirect(ctx, request.url());
            })
        .onFailure(ctx::fail);
  }

  private void callback(RoutingContext ctx) {
    Session session = ctx.session();
    JsonObject pending = session.remove(PENDING);
    String state = ctx.queryParams().get("state");
    if (pending == null || state == null || !same(state, pending.getString("state"))) {
      ctx.fail(
          new PortalFailure(
              PortalFailure.Kind.EXPIRED_FORM,
              "This sign-in link has expired or was opened in another browser. Please sign in"
                  + " again."));
      return;
    }
    String tenant = pending.getString("tenant");
    if (ctx.queryParams().get("error") != null || ctx.queryParams().get("code") == null) {
      Pages.flash(ctx, "error", "Sign-in was cancelled.");
      Pages.redirect(ctx, "/portal/" + tenant);
      return;
    }
    oidc.exchange(
            ctx.queryParams().get("code"),
            pending.getString("redirect"),
            pending.getString("verifier"),
            pending.getString("nonce"))
        .compose(
            tokens -> {
              // A new session id at sign-in, so an id planted before it (fixation) is worthless.
              session.regenerateId();
              Auth.signIn(session, tokens);
              return registered(tenant, tokens);
            })
        .onSuccess(
            registered ->
                Pages.redirect(
                    ctx,
                    registered
                        ? pending.getString("return")
                        : "/portal/" + tenant + "/profile?welcome=1"))
        .onFailure(ctx::fail);
  }

  private Future<Boolean> registered(String tenant, Tokens tokens) {
    return api.get(ControlPlaneApi.portal(tenant, "/me"), tokens.accessToken())
        .map(me -> true)
        .recover(
            e ->
                e instanceof ApiError error && error.status() == 404
                    ? Future.succeededFuture(false)
                    : Future.failedFuture(e));
  }

  private void signOut(RoutingContext ctx) {
    String tenant = ctx.pathParam("tenant");
    Tokens tokens = ctx.session().get("tokens");
    ctx.session().destroy();
    String home = hosts.baseUrl(ctx) + "/portal/" + ControlPlaneApi.segment(tenant);
    String logout = tokens == null ? null : oidc.logoutUrl(tokens, home);
    Pages.redirect(ctx, logout == null ? home : logout);
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

  private static boolean same(String a, String b) {
    return b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
