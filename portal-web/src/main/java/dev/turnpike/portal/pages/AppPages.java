package dev.turnpike.portal.pages;

import dev.turnpike.portal.api.ApiError;
import dev.turnpike.portal.api.ControlPlaneApi;
import dev.turnpike.portal.web.Auth;
import dev.turnpike.portal.web.Json;
import dev.turnpike.portal.web.Pages;
import dev.turnpike.portal.web.PortalFailure;
import dev.turnpike.portal.web.TenantHosts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * A developer's apps: create, rename, delete; subscribe to plans; keys (the full key shown once
 * after it is issued); usage per key and day with quotas.
 */
public final class AppPages {
  private final Pages pages;
  private final ControlPlaneApi api;
  private final Auth auth;
  private final TenantHosts hosts;

  public AppPages(Pages pages, ControlPlaneApi api, Auth auth, TenantHosts hosts) {
    this.pages = pages;
    this.api = api;
    this.auth = auth;
    this.hosts = hosts;
  }

  public void mount(Router router) {
    String apps = "/portal/:tenant/apps";
    String app = apps + "/:app";
    router.get(apps).handler(this::list);
    router.post(apps).handler(this::create);
    router.get(app).handler(this::show);
    router.get(app + "/checkout").handler(this::checkout);
    router
        .post(app + "/rename")
        .handler(
            ctx ->
                change(
                    ctx,
                    (token, path) ->
                        api.put(
                            path,
                            token,
                            new JsonObject()
                                .put("name", ctx.request().getFormAttribute("name"))
                                .put(
                                    "description",
                                    blankToNull(ctx.request().getFormAttribute("description")))),
                    "The app is renamed."));
    router.post(app + "/delete").handler(this::delete);
    router.post(app + "/subscribe").handler(this::subscribe);
    router.post(app + "/subscriptions/:subscription/pay").handler(this::pay);
    router
        .post(app + "/subscriptions/:subscription/cancel")
        .handler(
            ctx ->
                change(
                    ctx,
                    (token, path) ->
                        api.delete(
                            path + "/subscriptions/" + uuid(ctx.pathParam("subscription")), token),
                    "The subscription is cancelled."));
    new KeyPages(api, auth, this).mount(router, app);
  }

  private void list(RoutingContext ctx) {
    pages
        .tenant(ctx)
        .compose(
            tenant ->
                developer(ctx, tenant)
                    .compose(
                        dev ->
                            api.get(
                                    ControlPlaneApi.portal(tenant.getString("slug"), "/apps"),
                                    dev.token())
                                .onSuccess(
                                    apps -> {
                                      Map<String, Object> model = new HashMap<>();
                                      model.put("title", "Your apps");
                                      model.put("apps", Json.items(apps));
                                      model.put("blocked", dev.blockNotice());
                                      pages.render(ctx, tenant, "apps", model);
                                    })))
        .onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    String tenant = ctx.pathParam("tenant");
    JsonObject body =
        new JsonObject()
            .put("name", ctx.request().getFormAttribute("name"))
            .put("description", blankToNull(ctx.request().getFormAttribute("description")));
    auth.accessToken(ctx)
        .compose(token -> api.post(ControlPlaneApi.portal(tenant, "/apps"), token, body))
        .onSuccess(
            app -> {
              Pages.flash(
                  ctx, "ok", "Your app is created. Subscribe it to a plan, then issue a key.");
              Pages.redirect(ctx, base(tenant) + "/apps/" + app.getString("id"));
            })
        .onFailure(e -> FormErrors.back(ctx, e, base(tenant) + "/apps"));
  }

  private void show(RoutingContext ctx) {
    String appId = uuid(ctx.pathParam("app"));
    pages
        .tenant(ctx)
        .compose(
            tenant -> {
              String slug = tenant.getString("slug");
              String path = ControlPlaneApi.portal(slug, "/apps/" + appId);
              return developer(ctx, tenant)
                  .compose(
                      dev -> {
                        String token = dev.token();
                        Future<JsonObject> app = api.get(path, token);
                        Future<JsonObject> keys = api.get(path + "/keys", token);
                        Future<JsonObject> usage = api.get(path + "/usage", token);
                        Future<JsonObject> plans =
                            api.get(ControlPlaneApi.portal(slug, "/plans"), null);
                        return Future.all(app, keys, usage, plans)
                            .onSuccess(
                                done -> {
                                  Map<String, Object> model = new HashMap<>();
                                  JsonObject found = app.result();
                                  model.put("title", found.getString("name"));
                                  model.put("paid", ctx.queryParams().get("paid"));
                                  model.put("app", Json.plain(found));
                                  model.put("keys", Json.items(keys.result()));
                                  model.put("usageKeys", UsageView.rows(usage.result()));
                                  model.put("chart", UsageView.chart(usage.result()));
                                  model.put("plans", unsubscribed(plans.result(), found));
                                  model.put("blocked", dev.blockNotice());
                                  JsonObject fresh = ctx.session().remove(KeyPages.NEW_KEY);
                                  model.put(
                                      "newKey",
                                      fresh != null && appId.equals(fresh.getString("appId"))
                                          ? Json.plain(fresh)
                                          : null);
                                  pages.render(ctx, tenant, "app", model);
                                });
                      });
            })
        .onFailure(ctx::fail);
  }

  /** The page between a paid subscription and the payment provider's checkout page. */
  private void checkout(RoutingContext ctx) {
    JsonObject pending = ctx.session().get("checkout");
    String appId = uuid(ctx.pathParam("app"));
    pages
        .tenant(ctx)
        .onSuccess(
            tenant -> {
              if (pending == null || !appId.equals(pending.getString("appId"))) {
                Pages.redirect(ctx, base(tenant.getString("slug")) + "/apps/" + appId);
                return;
              }
              Map<String, Object> model = new HashMap<>();
              model.put("title", "Continue to payment");
              model.put("checkout", Json.plain(pending));
              pages.render(ctx, tenant, "checkout", model);
            })
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String tenant = ctx.pathParam("tenant");
    String appId = uuid(ctx.pathParam("app"));
    auth.accessToken(ctx)
        .compose(token -> api.delete(ControlPlaneApi.portal(tenant, "/apps/" + appId), token))
        .onSuccess(
            done -> {
              Pages.flash(ctx, "ok", "The app is deleted and its keys are revoked.");
              Pages.redirect(ctx, base(tenant) + "/apps");
            })
        .onFailure(e -> FormErrors.back(ctx, e, base(tenant) + "/apps/" + appId));
  }

  /** A subscription waiting for payment (approved, or after a failed checkout): checkout. */
  private void pay(RoutingContext ctx) {
    String tenant = ctx.pathParam("tenant");
    String appId = uuid(ctx.pathParam("app"));
    String subscriptionId = uuid(ctx.pathParam("subscription"));
    String page = base(tenant) + "/apps/" + appId;
    JsonObject body =
        new JsonObject()
            .put("successUrl", hosts.baseUrl(ctx) + page + "?paid=1")
            .put("cancelUrl", hosts.baseUrl(ctx) + page + "?paid=0");
    auth.accessToken(ctx)
        .compose(
            token ->
                api.post(
                    ControlPlaneApi.portal(
                        tenant,
                        "/apps/" + appId + "/subscriptions/" + subscriptionId + "/checkout"),
                    token,
                    body))
        .onSuccess(subscribed -> toCheckout(ctx, appId, page, subscribed))
        .onFailure(e -> FormErrors.back(ctx, e, page));
  }

  private static void toCheckout(
      RoutingContext ctx, String appId, String page, JsonObject subscribed) {
    ctx.session()
        .put(
            "checkout",
            new JsonObject()
                .put("appId", appId)
                .put("planName", subscribed.getJsonObject("subscription").getString("planName"))
                .put("url", subscribed.getString("checkoutUrl")));
    Pages.redirect(ctx, page + "/checkout");
  }

  private void subscribe(RoutingContext ctx) {
    String tenant = ctx.pathParam("tenant");
    String appId = uuid(ctx.pathParam("app"));
    String page = base(tenant) + "/apps/" + appId;
    JsonObject body =
        new JsonObject()
            .put("planId", blankToNull(ctx.request().getFormAttribute("planId")))
            .put("successUrl", hosts.baseUrl(ctx) + page + "?paid=1")
            .put("cancelUrl", hosts.baseUrl(ctx) + page + "?paid=0");
    auth.accessToken(ctx)
        .compose(
            token ->
                api.post(
                    ControlPlaneApi.portal(tenant, "/apps/" + appId + "/subscriptions"),
                    token,
                    body))
        .onSuccess(
            subscribed -> {
              String checkout = subscribed.getString("checkoutUrl");
              JsonObject subscription = subscribed.getJsonObject("subscription");
              if (checkout != null) {
                toCheckout(ctx, appId, page, subscribed);
                return;
              }
              Pages.flash(ctx, "ok", subscribedMessage(subscription));
              Pages.redirect(ctx, page);
            })
        .onFailure(e -> FormErrors.back(ctx, e, page));
  }

  /** What a subscription without a checkout page means for the developer. */
  private static String subscribedMessage(JsonObject subscription) {
    String plan = subscription.getString("planName");
    if (subscription.getString("status").equals("active")) {
      return "Subscribed to " + plan + ".";
    }
    return "Your request for "
        + plan
        + " waits for the API owner's approval."
        + (subscription.getBoolean("paid", false)
            ? " Once approved, you pay for it on this page."
            : "");
  }

  void change(
      RoutingContext ctx, BiFunction<String, String, Future<JsonObject>> action, String done) {
    String tenant = ctx.pathParam("tenant");
    String appId = uuid(ctx.pathParam("app"));
    String path = ControlPlaneApi.portal(tenant, "/apps/" + appId);
    String page = base(tenant) + "/apps/" + appId;
    auth.accessToken(ctx)
        .compose(token -> action.apply(token, path))
        .onSuccess(
            result -> {
              Pages.flash(ctx, "ok", done);
              Pages.redirect(ctx, page);
            })
        .onFailure(e -> FormErrors.back(ctx, e, page));
  }

  /** A registered developer as the portal sees them: their access token, and their registration. */
  private record Registered(String token, JsonObject me) {
    /** What a blocked developer is told on every page of theirs; null when not blocked. */
    Map<String, Object> blockNotice() {
      if (!"blocked".equals(me.getString("status"))) {
        return null;
      }
      Map<String, Object> notice = new HashMap<>();
      notice.put("reason", me.getString("blockedReason"));
      String since = me.getString("blockedAt");
      notice.put("since", since == null ? null : since.substring(0, Math.min(10, since.length())));
      return notice;
    }
  }

  /** A registered developer; others go to sign in or to their profile. */
  private Future<Registered> developer(RoutingContext ctx, JsonObject tenant) {
    String slug = tenant.getString("slug");
    return auth.accessToken(ctx)
        .compose(
            token ->
                api.get(ControlPlaneApi.portal(slug, "/me"), token)
                    .map(me -> new Registered(token, me))
                    .recover(
                        e ->
                            e instanceof ApiError error && error.status() == 404
                                ? Future.failedFuture(
                                    new PortalFailure(
                                        PortalFailure.Kind.NOT_REGISTERED,
                                        "Complete your developer profile in this portal first."))
                                : Future.failedFuture(e)));
  }

  /** The plans the app is not subscribed to yet. */
  private static List<Object> unsubscribed(JsonObject plans, JsonObject app) {
    Set<String> taken =
        app.getJsonArray("subscriptions", new JsonArray()).stream()
            .map(s -> ((JsonObject) s).getString("planId"))
            .collect(Collectors.toSet());
    JsonArray open = new JsonArray();
    plans
        .getJsonArray("items", new JsonArray())
        .forEach(
            p -> {
              if (!taken.contains(((JsonObject) p).getString("id"))) {
                open.add(p);
              }
            });
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) Json.plain(PlanTerms.describe(open));
    return list;
  }

  static String uuid(String value) {
    try {
      return java.util.UUID.fromString(value).toString();
    } catch (RuntimeException e) {
      throw PortalFailure.notFound("There is no such page.");
    }
  }

  static String base(String tenant) {
    return "/portal/" + ControlPlaneApi.segment(tenant);
  }

  static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
