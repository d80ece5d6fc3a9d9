package dev.turnpike.metering.billing;

import dev.turnpike.metering.checkout.CheckoutSessions;
import dev.turnpike.metering.problem.BillingProblem;
import dev.turnpike.metering.webhook.StripeWebhooks;
import dev.turnpike.webkit.Blocking;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Billing's HTTP endpoints (described in {@code metering/BILLING.md}):
 *
 * <ul>
 *   <li>{@code POST /stripe/webhook}: Stripe's deliveries, verified by signature.
 *   <li>{@code POST /billing/checkout-sessions}: the control plane starts a checkout for a
 *       subscription to a paid plan; authenticated by the shared internal token.
 *   <li>{@code GET /health}.
 * </ul>
 *
 * Errors are RFC 9457 problem+json. Blocking work runs on virtual threads.
 */
final class BillingHttpApi {
  private static final Logger LOG = LoggerFactory.getLogger(BillingHttpApi.class);
  private static final int MAX_BODY = 1 << 20;

  private final BillingSettings settings;
  private final StripeWebhooks webhooks;
  private final CheckoutSessions checkouts;
  private final Blocking blocking;

  /**
   * @param webhooks null when ledger-only
   * @param checkouts null when ledger-only
   */
  BillingHttpApi(
      BillingSettings settings,
      StripeWebhooks webhooks,
      CheckoutSessions checkouts,
      Blocking blocking) {
    this.settings = settings;
    this.webhooks = webhooks;
    this.checkouts = checkouts;
    this.blocking = blocking;
  }

  Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.post("/stripe/webhook").handler(BodyHandler.create().setBodyLimit(MAX_BODY));
    router.post("/stripe/webhook").handler(this::webhook);
    router.post("/billing/checkout-sessions").handler(BodyHandler.create().setBodyLimit(MAX_BODY));
    router.post("/billing/checkout-sessions").handler(this::checkout);
    return router;
  }

  private void webhook(RoutingContext ctx) {
    if (webhooks == null) {
      problem(
          ctx, notConfigured("Stripe webhooks are not accepted while billing runs ledger-only"));
      return;
    }
    String payload = ctx.body().asString(StandardCharsets.UTF_8.name());
    String signature = ctx.request().getHeader("Stripe-Signature");
    blocking
        .run(
            ctx.vertx().getOrCreateContext(),
            () -> webhooks.handle(payload == null ? "" : payload, signature))
        .onSuccess(
            result ->
                ctx.json(
                    new JsonObject()
                        .put("received", true)
                        .put("result", result.name().toLowerCase(java.util.Locale.ROOT))))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void checkout(RoutingContext ctx) {
    if (settings.internalToken() != null && !authorized(ctx)) {
      problem(
          ctx,
          new BillingProblem(
              401,
              "unauthorized",
              "Unauthorized",
              "missing or wrong " + BillingSettings.INTERNAL_TOKEN_HEADER));
      return;
    }
    if (checkouts == null) {
      problem(
          ctx,
          notConfigured(
              "Paid plans need Stripe: billing runs ledger-only because"
                  + " TURNPIKE_STRIPE_API_KEY is not set"));
      return;
    }
    CheckoutSessions.Input input;
    try {
      input = input(ctx.body().asJsonObject());
    } catch (BillingProblem p) {
      problem(ctx, p);
      return;
    } catch (DecodeException | ClassCastException e) {
      problem(ctx, invalid("the body must be a JSON object"));
      return;
    }
    blocking
        .run(ctx.vertx().getOrCreateContext(), () -> checkouts.create(input))
        .onSuccess(
            out ->
                ctx.response()
                    .setStatusCode(201)
                    .putHeader("Content-Type", "application/json")
                    .end(
                        new JsonObject()
                            .put("sessionId", out.sessionId())
                            .put("url", out.url())
                            .encode()))
        .onFailure(failure -> fail(ctx, failure));
  }

  private boolean authorized(RoutingContext ctx) {
    String given = ctx.request().getHeader(BillingSettings.INTERNAL_TOKEN_HEADER);
    return given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8),
            settings.internalToken().getBytes(StandardCharsets.UTF_8));
  }

  private static CheckoutSessions.Input input(JsonObject body) {
    if (body == null) {
      throw invalid("the body must be a JSON object");
    }
    return new CheckoutSessions.Input(
        uuid(body, "tenantId"),
        uuid(body, "subscriptionId"),
        body.getValue("successUrl") instanceof String s ? s : null,
        body.getValue("cancelUrl") instanceof String c ? c : null);
  }

  private static UUID uuid(JsonObject body, String field) {
    if (body.getValue(field) instanceof String s) {
      try {
        return UUID.fromString(s);
      } catch (IllegalArgumentException e) {
        // reported below
      }
    }
    throw invalid(field + " must be a UUID");
  }

  private static BillingProblem invalid(String detail) {
    return new BillingProblem(400, "invalid-request", "Invalid request", detail);
  }

  private static BillingProblem notConfigured(String detail) {
    return new BillingProblem(503, "stripe-not-configured", "Stripe not configured", detail);
  }

  private static void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof BillingProblem p) {
      problem(ctx, p);
    } else if (failure instanceof DecodeException) {
      problem(ctx, invalid("the body is not JSON"));
    } else {
      LOG.error(
          "Billing request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      problem(
          ctx,
          new BillingProblem(
              500, "internal", "Internal error", "the request failed; see the billing log"));
    }
  }

  private static Future<Void> problem(RoutingContext ctx, BillingProblem p) {
    return ctx.response()
        .setStatusCode(p.status())
        .putHeader("Content-Type", "application/problem+json")
        .end(
            new JsonObject()
                .put("type", p.type())
                .put("title", p.title())
                .put("status", p.status())
                .put("detail", p.detail())
                .encode());
  }
}
