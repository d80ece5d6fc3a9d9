package dev.turnpike.controlplane.portal.web;

import dev.turnpike.controlplane.apikey.ApiKeys;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.portal.Catalog;
import dev.turnpike.controlplane.portal.DeveloperApps;
import dev.turnpike.controlplane.portal.DeveloperInvoices;
import dev.turnpike.controlplane.portal.DeveloperTransactor;
import dev.turnpike.controlplane.portal.DeveloperUsage;
import dev.turnpike.controlplane.portal.Developers;
import dev.turnpike.controlplane.portal.PaidSubscriptions;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.Http;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The developer portal's API under {@code /v1/portal/{tenantSlug}}: the catalog is public; the
 * profile, apps, subscriptions, keys, usage and invoices are the signed-in developer's own.
 */
public final class PortalEndpoints implements Endpoints {
  static final String BASE = "/v1/portal/:slug";

  /** The portal's use cases. */
  public record PortalUseCases(
      DeveloperTransactor transactor,
      Catalog catalog,
      Developers developers,
      DeveloperApps apps,
      PaidSubscriptions subscriptions,
      DeveloperUsage usage,
      DeveloperInvoices invoices) {}

  private final Http http;
  private final PortalUseCases u;

  public PortalEndpoints(Http http, PortalUseCases useCases) {
    this.http = http;
    this.u = useCases;
  }

  @Override
  public void mountPublic(Router router) {
    router.get(BASE).handler(ctx -> anonymous(ctx, u.catalog()::tenant));
    router
        .get(BASE + "/apis")
        .handler(ctx -> anonymous(ctx, tx -> u.catalog().search(tx, query(ctx, "q"))));
    router
        .get(BASE + "/apis/:apiSlug")
        .handler(ctx -> anonymous(ctx, tx -> u.catalog().api(tx, ctx.pathParam("apiSlug"))));
    router
        .get(BASE + "/apis/:apiSlug/openapi")
        .handler(
            ctx -> {
              String api = ctx.pathParam("apiSlug");
              String stage = query(ctx, "stage");
              anonymous(ctx, tx -> u.catalog().document(tx, api, stage));
            });
    router.get(BASE + "/plans").handler(ctx -> anonymous(ctx, u.catalog()::plans));
  }

  @Override
  public void mount(Router router) {
    router.get(BASE + "/me").handler(ctx -> signedIn(ctx, 200, u.developers()::me));
    router
        .put(BASE + "/me")
        .handler(
            ctx -> {
              var in = http.body(ctx, Developers.Profile.class);
              signedIn(ctx, 200, tx -> u.developers().register(tx, in));
            });

    String apps = BASE + "/apps";
    String app = apps + "/:appId";
    router.get(apps).handler(ctx -> registered(ctx, 200, u.apps()::list));
    router
        .post(apps)
        .handler(
            ctx -> {
              var in = http.body(ctx, DeveloperApps.NewApp.class);
              developer(ctx, 201, tx -> u.apps().create(tx, in));
            });
    router
        .get(app)
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              registered(ctx, 200, tx -> u.apps().get(tx, appId));
            });
    router
        .put(app)
        .handler(
            ctx -> {
              var in = http.body(ctx, DeveloperApps.Rename.class);
              UUID appId = appId(ctx);
              developer(ctx, 200, tx -> u.apps().rename(tx, appId, in));
            });
    router
        .delete(app)
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              registered(
                  ctx,
                  204,
                  tx -> {
                    u.apps().delete(tx, appId);
                    return null;
                  });
            });

    router
        .post(app + "/subscriptions")
        .handler(
            ctx -> {
              var in = http.body(ctx, PaidSubscriptions.Subscribe.class);
              UUID appId = appId(ctx);
              Caller caller = http.caller(ctx);
              String slug = ctx.pathParam("slug");
              http.blocking(ctx, 201, () -> u.subscriptions().subscribe(caller, slug, appId, in));
            });
    router
        .post(app + "/subscriptions/:subscriptionId/checkout")
        .handler(
            ctx -> {
              var in = http.body(ctx, PaidSubscriptions.Pay.class);
              UUID appId = appId(ctx);
              UUID id = http.id(ctx, "subscriptionId", "Subscription");
              Caller caller = http.caller(ctx);
              String slug = ctx.pathParam("slug");
              http.blocking(ctx, 201, () -> u.subscriptions().resume(caller, slug, appId, id, in));
            });
    router
        .delete(app + "/subscriptions/:subscriptionId")
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              UUID id = http.id(ctx, "subscriptionId", "Subscription");
              registered(ctx, 200, tx -> u.apps().cancel(tx, appId, id));
            });

    String keys = app + "/keys";
    String key = keys + "/:keyId";
    router
        .get(keys)
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              registered(ctx, 200, tx -> u.apps().keys(tx, appId));
            });
    router
        .post(keys)
        .handler(
            ctx -> {
              var in = http.body(ctx, ApiKeys.CreateKey.class);
              UUID appId = appId(ctx);
              developer(ctx, 201, tx -> u.apps().createKey(tx, appId, in));
            });
    router
        .post(key + "/rotate")
        .handler(
            ctx -> {
              var in = http.body(ctx, ApiKeys.RotateKey.class);
              UUID appId = appId(ctx);
              UUID keyId = keyId(ctx);
              developer(ctx, 201, tx -> u.apps().rotateKey(tx, appId, keyId, in));
            });
    router
        .post(key + "/revoke")
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              UUID keyId = keyId(ctx);
              registered(ctx, 200, tx -> u.apps().revokeKey(tx, appId, keyId));
            });

    router
        .get(app + "/usage")
        .handler(
            ctx -> {
              UUID appId = appId(ctx);
              LocalDate from = day(ctx, "from");
              LocalDate to = day(ctx, "to");
              registered(ctx, 200, tx -> u.usage().usage(tx, appId, from, to));
            });

    router.get(BASE + "/invoices").handler(ctx -> registered(ctx, 200, u.invoices()::list));
    router
        .get(BASE + "/invoices/:invoiceId")
        .handler(
            ctx -> {
              UUID id = http.id(ctx, "invoiceId", "Invoice");
              registered(ctx, 200, tx -> u.invoices().get(tx, id));
            });
  }

  private <T> void anonymous(RoutingContext ctx, Function<TenantTx, T> work) {
    String slug = ctx.pathParam("slug");
    http.blocking(ctx, 200, () -> u.transactor().anonymous(slug, work));
  }

  private <T> void signedIn(RoutingContext ctx, int status, Function<TenantTx, T> work) {
    Caller caller = http.caller(ctx);
    String slug = ctx.pathParam("slug");
    http.blocking(ctx, status, () -> u.transactor().signedIn(caller, slug, work));
  }

  private <T> void developer(RoutingContext ctx, int status, Function<TenantTx, T> work) {
    Caller caller = http.caller(ctx);
    String slug = ctx.pathParam("slug");
    http.blocking(ctx, status, () -> u.transactor().asDeveloper(caller, slug, work));
  }

  /** What a blocked developer may still do: read their own, or give access up. */
  private <T> void registered(RoutingContext ctx, int status, Function<TenantTx, T> work) {
    Caller caller = http.caller(ctx);
    String slug = ctx.pathParam("slug");
    http.blocking(ctx, status, () -> u.transactor().asRegistered(caller, slug, work));
  }

  private UUID appId(RoutingContext ctx) {
    return http.id(ctx, "appId", "App");
  }

  private UUID keyId(RoutingContext ctx) {
    return http.id(ctx, "keyId", "API key");
  }

  private static String query(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    return values.isEmpty() ? null : values.getFirst();
  }

  private static LocalDate day(RoutingContext ctx, String name) {
    String value = query(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiFailure.invalid(name, "must be a date like 2026-01-31");
    }
  }
}
