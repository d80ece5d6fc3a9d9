package dev.turnpike.controlplane.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.apikey.ApiKeyImport;
import dev.turnpike.controlplane.apikey.ApiKeys;
import dev.turnpike.controlplane.app.Apps;
import dev.turnpike.controlplane.app.Subscriptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Apps, their subscriptions and API keys. */
final class AppEndpoints implements Endpoints {
  private final Http http;
  private final Apps apps;
  private final Subscriptions subscriptions;
  private final ApiKeys keys;
  private final ApiKeyImport keyImport;

  AppEndpoints(
      Http http, Apps apps, Subscriptions subscriptions, ApiKeys keys, ApiKeyImport keyImport) {
    this.keyImport = keyImport;
    this.http = http;
    this.apps = apps;
    this.subscriptions = subscriptions;
    this.keys = keys;
  }

  @Override
  public void mount(Router router) {
    String list = "/v1/tenants/:tenantId/apps";
    String one = list + "/:appId";
    router
        .post(list)
        .handler(
            ctx -> {
              var in = http.body(ctx, Apps.CreateApp.class);
              http.inTenant(ctx, WRITE, 201, tx -> apps.create(tx, in));
            });
    router.get(list).handler(ctx -> http.inTenant(ctx, READ, 200, apps::list));
    router
        .get(one)
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              http.inTenant(ctx, READ, 200, tx -> apps.get(tx, appId));
            });
    router
        .put(one)
        .handler(
            ctx -> {
              var in = http.body(ctx, Apps.UpdateApp.class);
              UUID appId = appId(ctx);
              http.inTenant(ctx, WRITE, 200, tx -> apps.update(tx, appId, in));
            });
    router
        .delete(one)
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              http.inTenant(
                  ctx,
                  WRITE,
                  204,
                  tx -> {
                    apps.delete(tx, appId);
                    return null;
                  });
            });

    String subs = one + "/subscriptions";
    String sub = subs + "/:subscriptionId";
    router
        .post(subs)
        .handler(
            ctx -> {
              var in = http.body(ctx, Subscriptions.CreateSubscription.class);
              UUID appId = appId(ctx);
              http.inTenant(ctx, WRITE, 201, tx -> subscriptions.create(tx, appId, in));
            });
    router
        .get(subs)
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              http.inTenant(ctx, READ, 200, tx -> subscriptions.list(tx, appId));
            });
    router
        .get(sub)
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              UUID id = subscriptionId(ctx);
              http.inTenant(ctx, READ, 200, tx -> subscriptions.get(tx, appId, id));
            });
    router
        .post(sub + "/approve")
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              UUID id = subscriptionId(ctx);
              http.inTenant(ctx, WRITE, 200, tx -> subscriptions.approve(tx, appId, id));
            });
    router
        .delete(sub)
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              UUID id = subscriptionId(ctx);
              http.inTenant(ctx, WRITE, 200, tx -> subscriptions.cancel(tx, appId, id));
            });

    String keyList = one + "/keys";
    String key = keyList + "/:keyId";
    router
        .post(keyList)
        .handler(
            ctx -> {
              var in = http.body(ctx, ApiKeys.CreateKey.class);
              UUID appId = appId(ctx);
              http.inTenant(ctx, WRITE, 201, tx -> keys.create(tx, appId, in));
            });
    router
        .get(keyList)
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              http.inTenant(ctx, READ, 200, tx -> keys.list(tx, appId));
            });
    router
        .get(key)
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              UUID id = keyId(ctx);
              http.inTenant(ctx, READ, 200, tx -> keys.get(tx, appId, id));
            });
    router
        .post(key + "/rotate")
        .handler(
            ctx -> {
              var in = http.body(ctx, ApiKeys.RotateKey.class);
              UUID appId = appId(ctx);
              UUID id = keyId(ctx);
              http.inTenant(ctx, WRITE, 201, tx -> keys.rotate(tx, appId, id, in));
            });
    router
        .post(key + "/revoke")
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              UUID id = keyId(ctx);
              http.inTenant(ctx, WRITE, 200, tx -> keys.revoke(tx, appId, id));
            });
    router
        .post(key + "/disable")
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              UUID id = keyId(ctx);
              http.inTenant(ctx, WRITE, 200, tx -> keys.setEnabled(tx, appId, id, false));
            });
    router
        .post(key + "/enable")
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              UUID id = keyId(ctx);
              http.inTenant(ctx, WRITE, 200, tx -> keys.setEnabled(tx, appId, id, true));
            });
    router
        .post(keyList + "/import")
        .handler(
            ctx -> {
              // The file itself is the body, as API Gateway's ImportApiKeys takes it.
              var upload =
                  new ApiKeyImport.Upload(
                      ctx.request().getHeader("Content-Type"),
                      ctx.body().asString(StandardCharsets.UTF_8.name()),
                      ctx.queryParams().get("failOnWarnings"));
              UUID appId = appId(ctx);
              http.inTenant(ctx, WRITE, 201, tx -> keyImport.importCsv(tx, appId, upload));
            });
  }

  private UUID appId(RoutingContext ctx) {
    return http.id(ctx, "appId", "App");
  }

  private UUID subscriptionId(RoutingContext ctx) {
    return http.id(ctx, "subscriptionId", "Subscription");
  }

  private UUID keyId(RoutingContext ctx) {
    return http.id(ctx, "keyId", "API key");
  }
}
