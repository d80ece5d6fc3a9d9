package dev.turnpike.controlplane.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.apikey.ApiKey;
import dev.turnpike.controlplane.apikey.ApiKeyImport;
import dev.turnpike.controlplane.apikey.ApiKeys;
import dev.turnpike.controlplane.app.Apps;
import dev.turnpike.controlplane.app.Subscriptions;
import dev.turnpike.controlplane.tx.TenantTx;
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
    keyChange(router, key + "/revoke", (tx, appId, id) -> keys.revoke(tx, appId, id));
    keyChange(router, key + "/disable", (tx, appId, id) -> keys.setEnabled(tx, appId, id, false));
    keyChange(router, key + "/enable", (tx, appId, id) -> keys.setEnabled(tx, appId, id, true));
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

  /** A change to one key, answered with the key as it is afterwards. */
  private interface KeyChange {
    ApiKey apply(TenantTx tx, UUID appId, UUID keyId);
  }

  private void keyChange(Router router, String path, KeyChange change) {
    router
        .post(path)
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              UUID id = keyId(ctx);
              http.inTenant(ctx, WRITE, 200, tx -> change.apply(tx, appId, id));
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
