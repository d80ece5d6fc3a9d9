package dev.turnpike.metering.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.metering.stripe.impl.StripeJavaApi;
import dev.turnpike.testkit.stripe.FakeStripeServer;
import dev.turnpike.testkit.stripe.RecordedRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StripeJavaApiTest {
  final FakeStripeServer fake = FakeStripeServer.start();
  final StripeApi stripe =
      new StripeJavaApi(
          "sk_test_fake",
          fake.apiBase(),
          new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)));

  @BeforeEach
  void forgetRequests() {
    fake.clearRequests();
    fake.failNext(0, 0);
  }

  @AfterAll
  void stop() {
    fake.close();
  }

  @Nested
  class Retries {
    @Test
    void retries_a_429_with_the_same_idempotency_key() {
      fake.failNext(1, 429);
      String id = stripe.createCustomer("customer_user_1", "a@example.com", "A", Map.of());
      List<RecordedRequest> calls = fake.requests("POST", "/v1/customers");
      assertThat(calls).extracting(RecordedRequest::status).containsExactly(429, 200);
      assertThat(calls)
          .extracting(RecordedRequest::idempotencyKey)
          .containsExactly("customer_user_1", "customer_user_1");
      assertThat(id).startsWith("cus_");
      assertThat(calls.getFirst().authorization()).isEqualTo("Bearer sk_test_fake");
    }

    @Test
    void retries_5xx_until_the_attempts_are_spent() {
      fake.failNext(3, 503);
      assertThatThrownBy(() -> stripe.createMeter("meter_plan_x", "X requests", "turnpike_x"))
          .isInstanceOf(StripeFailure.class)
          .hasMessageContaining("after 3 attempt(s)")
          .satisfies(e -> assertThat(((StripeFailure) e).status()).isEqualTo(503));
      assertThat(fake.requests("POST", "/v1/billing/meters")).hasSize(3);
    }

    @Test
    void does_not_retry_a_refusal() {
      stripe.createMeterEvent(
          "k1",
          "turnpike_x",
          "sub_dup_2026112110",
          "cus_1",
          5,
          Instant.parse("2026-11-21T10:00:00Z"));
      assertThatThrownBy(
              () ->
                  stripe.createMeterEvent(
                      "k2",
                      "turnpike_x",
                      "sub_dup_2026112110",
                      "cus_1",
                      5,
                      Instant.parse("2026-11-21T10:00:00Z")))
          .isInstanceOf(StripeFailure.class)
          .satisfies(e -> assertThat(((StripeFailure) e).status()).isEqualTo(400));
      assertThat(fake.requests("POST", "/v1/billing/meter_events")).hasSize(2);
    }

    @Test
    void a_replayed_idempotency_key_returns_the_first_object() {
      String first = stripe.createCustomer("customer_user_2", "b@example.com", "B", Map.of());
      String again = stripe.createCustomer("customer_user_2", "b@example.com", "B", Map.of());
      assertThat(again).isEqualTo(first);
    }
  }

  @Nested
  class Requests {
    @Test
    void creates_a_summing_meter_keyed_by_customer_id() {
      stripe.createMeter("meter_plan_p", "Pro requests", "turnpike_plan_p");
      assertThat(fake.requests().getFirst().params())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "display_name", "Pro requests",
                  "event_name", "turnpike_plan_p",
                  "default_aggregation[formula]", "sum",
                  "customer_mapping[type]", "by_id",
                  "customer_mapping[event_payload_key]", "stripe_customer_id",
                  "value_settings[event_payload_key]", "value"));
    }

    @Test
    void sends_a_meter_event_with_identifier_value_and_timestamp() {
      stripe.createMeterEvent(
          "sub_s_2026112110",
          "turnpike_plan_p",
          "sub_s_2026112110",
          "cus_9",
          42,
          Instant.parse("2026-11-21T10:00:00Z"));
      RecordedRequest r = fake.requests().getFirst();
      assertThat(r.path()).isEqualTo("/v1/billing/meter_events");
      assertThat(r.idempotencyKey()).isEqualTo("sub_s_2026112110");
      assertThat(r.params())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "event_name", "turnpike_plan_p",
                  "identifier", "sub_s_2026112110",
                  "payload[stripe_customer_id]", "cus_9",
                  "payload[value]", "42",
                  "timestamp", "1795255200"));
    }

    @Test
    void creates_a_tiered_metered_price_on_a_meter() {
      stripe.createPrice(
          "price_plan_p_metered",
          new StripeApi.PriceSpec(
              "usd",
              "Pro (requests)",
              null,
              "mtr_1",
              null,
              List.of(
                  new StripeApi.PriceSpec.Tier(1000L, BigDecimal.ZERO, 0),
                  new StripeApi.PriceSpec.Tier(null, new BigDecimal("0.05"), 100)),
              "graduated",
              Map.of("turnpike_plan_id", "p")));
      assertThat(fake.requests().getFirst().params())
          .containsExactlyInAnyOrderEntriesOf(
              Map.ofEntries(
                  Map.entry("currency", "usd"),
                  Map.entry("product_data[name]", "Pro (requests)"),
                  Map.entry("metadata[turnpike_plan_id]", "p"),
                  Map.entry("recurring[interval]", "month"),
                  Map.entry("recurring[usage_type]", "metered"),
                  Map.entry("recurring[meter]", "mtr_1"),
                  Map.entry("billing_scheme", "tiered"),
                  Map.entry("tiers_mode", "graduated"),
                  Map.entry("tiers[0][up_to]", "1000"),
                  Map.entry("tiers[0][unit_amount_decimal]", "0"),
                  Map.entry("tiers[0][flat_amount]", "0"),
                  Map.entry("tiers[1][up_to]", "inf"),
                  Map.entry("tiers[1][unit_amount_decimal]", "0.05"),
                  Map.entry("tiers[1][flat_amount]", "100")));
    }
  }
}
