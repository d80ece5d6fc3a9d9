package dev.turnpike.metering.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RaterTest {
  // November 2026 has 30 days.
  static final BillingPeriod NOV = BillingPeriod.month(YearMonth.of(2026, 11));

  static RatedInvoice rateWhole(PlanPricing pricing, long requests) {
    return Rater.rate(
        NOV, List.of(new UsageSegment("Pro", pricing, NOV.start(), NOV.end(), requests)));
  }

  static PlanPricing pricing(
      PriceModel model, long fee, long unitMicros, long included, PriceTier... tiers) {
    return new PlanPricing(model, "usd", fee, unitMicros, included, List.of(tiers));
  }

  // 0.1 cent per request up to 1,000, 0.05 cent up to 10,000, then 0.01 cent.
  static final PriceTier[] TIERS = {
    new PriceTier(1_000L, 1_000, 0), new PriceTier(10_000L, 500, 0), new PriceTier(null, 100, 0)
  };

  @Nested
  class WebSocket {
    static RatedInvoice rate(PlanPricing pricing, long messages, long minutes) {
      return Rater.rate(
          NOV,
          List.of(new UsageSegment("Pro", pricing, NOV.start(), NOV.end(), 0, messages, minutes)));
    }

    // 1.00 per million messages, 0.25 per million connection minutes (API Gateway's prices).
    static PlanPricing chat(PriceModel model) {
      return new PlanPricing(model, "usd", 0, 0, 0, List.of(), 1_000_000, 250_000);
    }

    @Test
    void charges_messages_and_connection_minutes_per_million_besides_the_requests() {
      RatedInvoice invoice = rate(chat(PriceModel.PER_REQUEST), 3_000_000, 10_000_000);

      assertThat(invoice.lines())
          .containsExactly(
              new InvoiceLine("Pro: requests", 0, 0, 0),
              new InvoiceLine(
                  "Pro: WebSocket messages (price per million)", 3_000_000, 1_000_000, 300),
              new InvoiceLine(
                  "Pro: WebSocket connection minutes (price per million)",
                  10_000_000,
                  250_000,
                  250));
      assertThat(invoice.totalCents()).isEqualTo(550);
    }

    @Test
    void rounds_a_part_of_a_million_half_up_to_the_cent() {
      // 5,000 messages at 1.00 per million: 0.5 cent, rounded up to 1.
      assertThat(rate(chat(PriceModel.FLAT), 5_000, 0).totalCents()).isEqualTo(1);
      assertThat(rate(chat(PriceModel.FLAT), 4_999, 0).totalCents()).isZero();
    }

    @Test
    void a_free_plan_charges_nothing_and_a_plan_without_websocket_prices_adds_no_lines() {
      assertThat(rate(chat(PriceModel.FREE), 3_000_000, 10_000_000).totalCents()).isZero();
      assertThat(rate(pricing(PriceModel.PER_REQUEST, 0, 1, 0), 3_000_000, 1).lines())
          .extracting(InvoiceLine::description)
          .containsExactly("Pro: requests");
    }

    @Test
    void websocket_prices_make_a_plan_cost_something() {
      assertThat(chat(PriceModel.FLAT).costsNothing()).isFalse();
      assertThat(pricing(PriceModel.FLAT, 0, 0, 0).costsNothing()).isTrue();
    }

    @Test
    void connection_time_is_billed_in_minutes_rounded_up() {
      assertThat(new BillableUsage(0, 0, 60_000).connectionMinutes()).isEqualTo(1);
      assertThat(new BillableUsage(0, 0, 60_001).connectionMinutes()).isEqualTo(2);
      assertThat(BillableUsage.NONE.connectionMinutes()).isZero();
    }
  }

  @Nested
  class Free {
    @Test
    void charges_nothing_and_shows_the_requests() {
      RatedInvoice invoice = rateWhole(PlanPricing.free("usd"), 12_345);
      assertThat(invoice.totalCents()).isZero();
      assertThat(invoice.lines())
          .containsExactly(new InvoiceLine("Pro: requests (free plan)", 12_345, 0, 0));
    }
  }

  @Nested
  class Flat {
    @Test
    void charges_the_monthly_fee_whatever_the_usage() {
      RatedInvoice invoice = rateWhole(pricing(PriceModel.FLAT, 2_900, 0, 0), 1_000_000);
      assertThat(invoice.lines())
          .containsExactly(
              new InvoiceLine("Pro: monthly fee", 1, 29_000_000, 2_900),
              new InvoiceLine("Pro: requests (included in the fee)", 1_000_000, 0, 0));
      assertThat(invoice.totalCents()).isEqualTo(2_900);
    }
  }

  @Nested
  class PerRequest {
    @Test
    void charges_every_request_beyond_the_allowance() {
      // 0.2 cent per request, 1,000 included, 3,500 made: 2,500 × 0.2 = 500 cents.
      RatedInvoice invoice = rateWhole(pricing(PriceModel.PER_REQUEST, 0, 2_000, 1_000), 3_500);
      assertThat(invoice.lines())
          .containsExactly(
              new InvoiceLine("Pro: included requests (of 1000)", 1_000, 0, 0),
              new InvoiceLine("Pro: requests", 2_500, 2_000, 500));
    }

    @Test
    void charges_nothing_within_the_allowance() {
      RatedInvoice invoice = rateWhole(pricing(PriceModel.PER_REQUEST, 0, 2_000, 1_000), 999);
      assertThat(invoice.totalCents()).isZero();
      assertThat(invoice.lines().get(0).quantity()).isEqualTo(999);
      assertThat(invoice.lines().get(1).quantity()).isZero();
    }

    @Test
    void adds_the_base_fee() {
      RatedInvoice invoice = rateWhole(pricing(PriceModel.PER_REQUEST, 1_000, 10_000, 0), 7);
      assertThat(invoice.totalCents()).isEqualTo(1_000 + 7);
    }

    @Test
    void rounds_each_line_half_up_to_the_cent() {
      // 3 × 0.5 cent = 1.5 cents -> 2; 1 × 0.4 cent -> 0.
      assertThat(rateWhole(pricing(PriceModel.PER_REQUEST, 0, 5_000, 0), 3).totalCents())
          .isEqualTo(2);
      assertThat(rateWhole(pricing(PriceModel.PER_REQUEST, 0, 4_000, 0), 1).totalCents()).isZero();
    }

    @Test
    void handles_amounts_beyond_a_long_product() {
      long requests = 4_000_000_000_000L;
      long micros = 5_000_000_000L; // 5,000 dollars a request: the product overflows a long
      long expected = 2_000_000_000_000_000_000L;
      assertThat(rateWhole(pricing(PriceModel.PER_REQUEST, 0, micros, 0), requests).totalCents())
          .isEqualTo(expected);
    }
  }

  @Nested
  class Graduated {
    @Test
    void charges_each_tier_its_own_share() {
      // 1,000 × 0.1 + 9,000 × 0.05 + 5,000 × 0.01 = 100 + 450 + 50 cents.
      RatedInvoice invoice = rateWhole(pricing(PriceModel.GRADUATED, 0, 0, 0, TIERS), 15_000);
      assertThat(invoice.lines())
          .containsExactly(
              new InvoiceLine("Pro: tier 1 (requests 1 to 1000)", 1_000, 1_000, 100),
              new InvoiceLine("Pro: tier 2 (requests 1001 to 10000)", 9_000, 500, 450),
              new InvoiceLine("Pro: tier 3 (requests 10001 to and beyond)", 5_000, 100, 50));
      assertThat(invoice.totalCents()).isEqualTo(600);
    }

    @Test
    void stops_exactly_at_a_tier_bound() {
      RatedInvoice invoice = rateWhole(pricing(PriceModel.GRADUATED, 0, 0, 0, TIERS), 1_000);
      assertThat(invoice.lines()).hasSize(1);
      assertThat(invoice.totalCents()).isEqualTo(100);
      RatedInvoice oneMore = rateWhole(pricing(PriceModel.GRADUATED, 0, 0, 0, TIERS), 1_001);
      assertThat(oneMore.lines()).hasSize(2);
      assertThat(oneMore.lines().get(1).quantity()).isEqualTo(1);
    }

    @Test
    void applies_tiers_after_the_allowance() {
      // 500 included, then 1,500 billable: 1,000 at 0.1 and 500 at 0.05.
      RatedInvoice invoice = rateWhole(pricing(PriceModel.GRADUATED, 0, 0, 500, TIERS), 2_000);
      assertThat(invoice.totalCents()).isEqualTo(100 + 25);
      assertThat(invoice.lines().get(0))
          .isEqualTo(new InvoiceLine("Pro: included requests (of 500)", 500, 0, 0));
    }

    @Test
    void charges_the_flat_fee_of_every_tier_reached() {
      PlanPricing p =
          pricing(
              PriceModel.GRADUATED,
              0,
              0,
              0,
              new PriceTier(10L, 0, 100),
              new PriceTier(null, 0, 200));
      assertThat(rateWhole(p, 0).totalCents()).isZero();
      assertThat(rateWhole(p, 10).totalCents()).isEqualTo(100);
      assertThat(rateWhole(p, 11).totalCents()).isEqualTo(300);
    }

    @Test
    void shows_no_tier_lines_without_usage() {
      assertThat(rateWhole(pricing(PriceModel.GRADUATED, 500, 0, 0, TIERS), 0).lines())
          .containsExactly(new InvoiceLine("Pro: monthly fee", 1, 5_000_000, 500));
    }
  }

  @Nested
  class Volume {
    @Test
    void charges_all_requests_at_the_tier_their_count_falls_in() {
      assertThat(rateWhole(pricing(PriceModel.VOLUME, 0, 0, 0, TIERS), 1_000).lines())
          .containsExactly(new InvoiceLine("Pro: all 1000 requests at tier 1", 1_000, 1_000, 100));
      // 1,001 requests fall in tier 2: all at 0.05 cent.
      assertThat(rateWhole(pricing(PriceModel.VOLUME, 0, 0, 0, TIERS), 1_001).totalCents())
          .isEqualTo(50);
      assertThat(rateWhole(pricing(PriceModel.VOLUME, 0, 0, 0, TIERS), 15_000).totalCents())
          .isEqualTo(150);
    }

    @Test
    void differs_from_graduated_for_the_same_tiers() {
      long graduated =
          rateWhole(pricing(PriceModel.GRADUATED, 0, 0, 0, TIERS), 15_000).totalCents();
      long volume = rateWhole(pricing(PriceModel.VOLUME, 0, 0, 0, TIERS), 15_000).totalCents();
      assertThat(graduated).isEqualTo(600);
      assertThat(volume).isEqualTo(150);
    }

    @Test
    void charges_nothing_when_usage_stays_within_the_allowance() {
      PlanPricing p =
          pricing(
              PriceModel.VOLUME,
              0,
              0,
              2_000,
              new PriceTier(10L, 1_000, 300),
              new PriceTier(null, 500, 0));
      assertThat(rateWhole(p, 2_000).totalCents()).isZero();
      // 2,005 made, 5 billable: tier 1 at 0.1 cent (0.5 -> 1 cent) plus its 300 flat.
      assertThat(rateWhole(p, 2_005).totalCents()).isEqualTo(1 + 300);
    }
  }

  @Nested
  class Proration {
    static final Instant MID = NOV.start().plus(Duration.ofDays(12));

    @Test
    void scales_fee_and_allowance_by_the_share_of_the_period() {
      // 12 of 30 days: fee 3,000 -> 1,200; allowance 10,000 -> 4,000.
      PlanPricing p = pricing(PriceModel.PER_REQUEST, 3_000, 1_000, 10_000);
      RatedInvoice invoice =
          Rater.rate(NOV, List.of(new UsageSegment("Pro", p, NOV.start(), MID, 5_000)));
      assertThat(invoice.lines())
          .containsExactly(
              new InvoiceLine(
                  "Pro (2026-11-01 00:00 to 2026-11-13 00:00 UTC): monthly fee, prorated 12.00 of"
                      + " 30.00 days",
                  1,
                  30_000_000,
                  1_200),
              new InvoiceLine(
                  "Pro (2026-11-01 00:00 to 2026-11-13 00:00 UTC): included requests"
                      + " (of 4000)",
                  4_000,
                  0,
                  0),
              new InvoiceLine(
                  "Pro (2026-11-01 00:00 to 2026-11-13 00:00 UTC): requests", 1_000, 1_000, 100));
    }

    @Test
    void rates_each_plan_of_a_mid_period_change_on_its_own() {
      PlanPricing basic = pricing(PriceModel.FLAT, 1_000, 0, 0);
      PlanPricing pro = pricing(PriceModel.GRADUATED, 3_000, 0, 0, TIERS);
      RatedInvoice invoice =
          Rater.rate(
              NOV,
              List.of(
                  new UsageSegment("Basic", basic, NOV.start(), MID, 9_999),
                  new UsageSegment("Pro", pro, MID, NOV.end(), 1_000)));
      // Basic 12/30 × 1,000 = 400; Pro 18/30 × 3,000 = 1,800 plus 1,000 requests at tier 1 = 100.
      assertThat(invoice.totalCents()).isEqualTo(400 + 1_800 + 100);
    }

    @Test
    void rounds_a_prorated_fee_half_up() {
      // One hour of a 30-day month: 1,000 × 1/720 = 1.39 -> 1 cent; 10,000 × 1/720 = 13.9 -> 14.
      Instant hour = NOV.start().plus(Duration.ofHours(1));
      assertThat(
              Rater.rate(
                      NOV,
                      List.of(
                          new UsageSegment(
                              "P", pricing(PriceModel.FLAT, 1_000, 0, 0), NOV.start(), hour, 0)))
                  .totalCents())
          .isEqualTo(1);
      assertThat(
              Rater.rate(
                      NOV,
                      List.of(
                          new UsageSegment(
                              "P", pricing(PriceModel.FLAT, 10_000, 0, 0), NOV.start(), hour, 0)))
                  .totalCents())
          .isEqualTo(14);
    }

    @Test
    void does_not_scale_tier_bounds() {
      PlanPricing p = pricing(PriceModel.GRADUATED, 0, 0, 0, TIERS);
      RatedInvoice half =
          Rater.rate(
              NOV,
              List.of(
                  new UsageSegment(
                      "P", p, NOV.start(), NOV.start().plus(Duration.ofDays(15)), 1_000)));
      assertThat(half.lines()).hasSize(1);
      assertThat(half.totalCents()).isEqualTo(100);
    }

    @Test
    void rejects_segments_outside_the_period_or_in_another_currency() {
      PlanPricing usd = pricing(PriceModel.FLAT, 100, 0, 0);
      PlanPricing eur = new PlanPricing(PriceModel.FLAT, "eur", 100, 0, 0, List.of());
      assertThatThrownBy(
              () ->
                  Rater.rate(
                      NOV,
                      List.of(new UsageSegment("P", usd, NOV.start().minusSeconds(1), MID, 0))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () ->
                  Rater.rate(
                      NOV,
                      List.of(
                          new UsageSegment("P", usd, NOV.start(), MID, 0),
                          new UsageSegment("Q", eur, MID, NOV.end(), 0))))
          .hasMessageContaining("share a currency");
    }
  }

  @Nested
  class Pricing {
    @Test
    void rejects_malformed_tiers() {
      assertThatThrownBy(() -> pricing(PriceModel.GRADUATED, 0, 0, 0))
          .hasMessageContaining("at least one tier");
      assertThatThrownBy(() -> pricing(PriceModel.VOLUME, 0, 0, 0, new PriceTier(10L, 1, 0)))
          .hasMessageContaining("only the last tier is unbounded");
      assertThatThrownBy(
              () ->
                  pricing(
                      PriceModel.VOLUME,
                      0,
                      0,
                      0,
                      new PriceTier(10L, 1, 0),
                      new PriceTier(10L, 1, 0),
                      new PriceTier(null, 1, 0)))
          .hasMessageContaining("increase");
    }

    @Test
    void knows_which_plans_cost_nothing() {
      assertThat(PlanPricing.free("usd").costsNothing()).isTrue();
      assertThat(pricing(PriceModel.PER_REQUEST, 0, 0, 0).costsNothing()).isTrue();
      assertThat(pricing(PriceModel.PER_REQUEST, 0, 1, 0).costsNothing()).isFalse();
      assertThat(pricing(PriceModel.FLAT, 1, 0, 0).costsNothing()).isFalse();
    }

    @Test
    void billing_periods_are_utc_calendar_months() {
      BillingPeriod feb = BillingPeriod.containing(Instant.parse("2028-02-29T23:59:59Z"));
      assertThat(feb.start()).isEqualTo(Instant.parse("2028-02-01T00:00:00Z"));
      assertThat(feb.end()).isEqualTo(Instant.parse("2028-03-01T00:00:00Z"));
      assertThat(feb.previous().start()).isEqualTo(Instant.parse("2028-01-01T00:00:00Z"));
    }
  }
}
