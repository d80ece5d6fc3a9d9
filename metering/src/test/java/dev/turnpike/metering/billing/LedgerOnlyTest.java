package dev.turnpike.metering.billing;

import static dev.turnpike.db.Tables.INVOICES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.metering.testing.BillingFixture;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedPostgresExtension.class)
class LedgerOnlyTest {
  @Test
  void without_a_stripe_key_invoices_are_rated_and_paid_plans_get_a_clear_503(TestDatabase db)
      throws Exception {
    BillingFixture fixture = new BillingFixture(db.ownerDsl());
    UUID tenant = fixture.tenant();
    UUID app = fixture.app(tenant, fixture.user("ledger@example.com"));
    UUID plan = fixture.plan(tenant, "Flat", "flat", 1_500, 0, 0);
    fixture.subscription(tenant, app, plan, "active", Instant.parse("2026-09-01T00:00:00Z"), null);
    BillingSettings settings =
        BillingSettings.fromEnvironment(
            Map.of("TURNPIKE_BILLING_HOST", "127.0.0.1", "TURNPIKE_BILLING_PORT", "0"));
    assertThat(settings.stripeConfigured()).isFalse();
    Vertx vertx = Vertx.vertx();
    // Three hours into November: October is closed (two hours' grace).
    Clock clock = Clock.fixed(Instant.parse("2026-11-01T03:00:00Z"), ZoneOffset.UTC);
    BillingService billing = new BillingService(settings, db.meteringDsl(), vertx, clock);
    try {
      billing.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      billing.closeLastPeriod();
      assertThat(db.ownerDsl().fetchCount(INVOICES, INVOICES.TENANT_ID.eq(tenant))).isEqualTo(1);
      assertThat(billing.syncMeterEvents().sent()).isZero();

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> checkout =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + billing.port() + "/billing/checkout-sessions"))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(checkout.statusCode()).isEqualTo(503);
      JsonObject problem = new JsonObject(checkout.body());
      assertThat(problem.getString("type"))
          .isEqualTo("https://turnpike.dev/problems/stripe-not-configured");
      assertThat(problem.getString("detail")).contains("Paid plans need Stripe");
    } finally {
      billing.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
