package dev.turnpike.metering.rating;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rates one subscription's billing period into invoice lines. A pure function: the same period,
 * pricing and usage always give the same lines.
 *
 * <h2>Models</h2>
 *
 * <ul>
 *   <li><b>free</b>: nothing is charged; one zero line shows the requests.
 *   <li><b>flat</b>: the monthly fee; requests are shown at zero.
 *   <li><b>per_request</b>: the monthly fee (if any) plus every request beyond the included
 *       allowance at the unit price.
 *   <li><b>graduated</b>: the monthly fee plus, for requests beyond the allowance, each tier's
 *       share at that tier's price (requests 1..upTo₀ at tier 0, upTo₀+1..upTo₁ at tier 1, ...),
 *       plus the flat fee of every tier the usage reaches.
 *   <li><b>volume</b>: the monthly fee plus all requests beyond the allowance at the price of the
 *       one tier their count falls in, plus that tier's flat fee. No requests beyond the allowance
 *       means no tier charge.
 * </ul>
 *
 * <p>WebSocket APIs: on every model but free, messages and connection minutes are charged at the
 * plan's prices per million (when set), besides what requests cost under the model, as API Gateway
 * prices them; no allowance applies to them. A segment is rated on its own messages and minutes.
 *
 * <h2>Money</h2>
 *
 * Per-request prices are in millionths of the currency unit; each line's amount is rounded half up
 * to a whole cent, and the invoice total is the sum of its lines.
 *
 * <h2>Proration (a plan change within a period)</h2>
 *
 * A subscription that is live for only part of a period (it started, ended or changed plan within
 * it) is rated per segment, each on its own plan and with the requests made in it:
 *
 * <ol>
 *   <li>the monthly fee and the included allowance are scaled by the segment's share of the period,
 *       measured in seconds (fee rounded half up to the cent, allowance rounded half up to a whole
 *       request);
 *   <li>tier bounds and tier flat fees are not scaled: usage-based prices are per request, and a
 *       short segment simply has fewer requests;
 *   <li>each segment's requests are rated on that segment's plan only; nothing carries over between
 *       segments.
 * </ol>
 */
public final class Rater {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Rater() {}

  public static RatedInvoice rate(BillingPeriod period, List<UsageSegment> segments) {
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a period needs at least one segment to rate");
    }
    String currency = segments.getFirst().pricing().currency();
    List<InvoiceLine> lines = new ArrayList<>();
    for (UsageSegment segment : segments) {
      if (!segment.pricing().currency().equalsIgnoreCase(currency)) {
        throw new IllegalArgumentException(
            "segments of one invoice must share a currency: "
                + currency
                + " and "
                + segment.pricing().currency());
      }
      if (segment.from().isBefore(period.start()) || segment.to().isAfter(period.end())) {
        throw new IllegalArgumentException("segment lies outside the period " + period);
      }
      rateSegment(period, segment, lines);
    }
    return new RatedInvoice(currency, lines);
  }

  private static void rateSegment(BillingPeriod period, UsageSegment s, List<InvoiceLine> lines) {
    rateRequests(period, s, lines);
    if (s.pricing().model() != PriceModel.FREE) {
      String plan = label(period, s);
      perMillion(
          plan + ": WebSocket messages (price per million)",
          s.messages(),
          s.pricing().messagePricePerMillionMicros(),
          lines);
      perMillion(
          plan + ": WebSocket connection minutes (price per million)",
          s.connectionMinutes(),
          s.pricing().connectionMinutePricePerMillionMicros(),
          lines);
    }
  }

  /** A line for {@code quantity} at a price per million, when the plan sets that price. */
  private static void perMillion(
      String description, long quantity, long pricePerMillionMicros, List<InvoiceLine> lines) {
    if (pricePerMillionMicros == 0) {
      return;
    }
    long cents =
        BigDecimal.valueOf(quantity)
            .multiply(BigDecimal.valueOf(pricePerMillionMicros))
            .divide(BigDecimal.valueOf(10_000_000_000L), 0, RoundingMode.HALF_UP)
            .longValueExact();
    lines.add(new InvoiceLine(description, quantity, pricePerMillionMicros, cents));
  }

  private static void rateRequests(BillingPeriod period, UsageSegment s, List<InvoiceLine> lines) {
    PlanPricing p = s.pricing();
    Duration live = Duration.between(s.from(), s.to());
    boolean whole = live.equals(period.length());
    String plan = label(period, s);
    long requests = s.billableRequests();
    if (p.model() == PriceModel.FREE) {
      lines.add(new InvoiceLine(plan + ": requests (free plan)", requests, 0, 0));
      return;
    }
    if (p.flatFeeCents() > 0) {
      long fee = whole ? p.flatFeeCents() : prorate(p.flatFeeCents(), live, period.length());
      String what =
          whole
              ? ": monthly fee"
              : ": monthly fee, prorated " + days(live) + " of " + days(period.length()) + " days";
      lines.add(new InvoiceLine(plan + what, 1, p.flatFeeCents() * 10_000, fee));
    }
    if (p.model() == PriceModel.FLAT) {
      lines.add(new InvoiceLine(plan + ": requests (included in the fee)", requests, 0, 0));
      return;
    }
    long allowance =
        whole ? p.includedRequests() : prorate(p.includedRequests(), live, period.length());
    long included = Math.min(requests, allowance);
    if (allowance > 0) {
      lines.add(
          new InvoiceLine(plan + ": included requests (of " + allowance + ")", included, 0, 0));
    }
    long billable = requests - included;
    switch (p.model()) {
      case PER_REQUEST ->
          lines.add(
              new InvoiceLine(
                  plan + ": requests",
                  billable,
                  p.unitPriceMicros(),
                  cents(billable, p.unitPriceMicros())));
      case GRADUATED -> graduated(plan, p.tiers(), billable, lines);
      case VOLUME -> volume(plan, p.tiers(), billable, lines);
      default -> throw new IllegalStateException("unrated model " + p.model());
    }
  }

  private static void graduated(
      String plan, List<PriceTier> tiers, long billable, List<InvoiceLine> lines) {
    long lower = 0;
    for (int i = 0; i < tiers.size() && billable > lower; i++) {
      PriceTier tier = tiers.get(i);
      long upper = tier.upTo() == null ? billable : Math.min(billable, tier.upTo());
      long quantity = upper - lower;
      String name =
          plan
              + ": tier "
              + (i + 1)
              + " (requests "
              + (lower + 1)
              + " to "
              + (tier.upTo() == null ? "and beyond" : tier.upTo())
              + ")";
      lines.add(
          new InvoiceLine(
              name, quantity, tier.unitPriceMicros(), cents(quantity, tier.unitPriceMicros())));
      if (tier.flatFeeCents() > 0) {
        lines.add(
            new InvoiceLine(
                name + " flat fee", 1, tier.flatFeeCents() * 10_000, tier.flatFeeCents()));
      }
      lower = tier.upTo() == null ? billable : tier.upTo();
    }
  }

  private static void volume(
      String plan, List<PriceTier> tiers, long billable, List<InvoiceLine> lines) {
    if (billable == 0) {
      return;
    }
    int index = 0;
    while (tiers.get(index).upTo() != null && billable > tiers.get(index).upTo()) {
      index++;
    }
    PriceTier tier = tiers.get(index);
    String name = plan + ": all " + billable + " requests at tier " + (index + 1);
    lines.add(
        new InvoiceLine(
            name, billable, tier.unitPriceMicros(), cents(billable, tier.unitPriceMicros())));
    if (tier.flatFeeCents() > 0) {
      lines.add(
          new InvoiceLine(
              plan + ": tier " + (index + 1) + " flat fee",
              1,
              tier.flatFeeCents() * 10_000,
              tier.flatFeeCents()));
    }
  }

  /** The plan's name, with the segment's times when it covers part of the period. */
  private static String label(BillingPeriod period, UsageSegment s) {
    return Duration.between(s.from(), s.to()).equals(period.length())
        ? s.planName()
        : s.planName() + " (" + DAY.format(s.from()) + " to " + DAY.format(s.to()) + " UTC)";
  }

  /** {@code quantity × micros}, in cents rounded half up. */
  static long cents(long quantity, long unitPriceMicros) {
    return BigDecimal.valueOf(quantity)
        .multiply(BigDecimal.valueOf(unitPriceMicros))
        .divide(BigDecimal.valueOf(10_000), 0, RoundingMode.HALF_UP)
        .longValueExact();
  }

  static long prorate(long amount, Duration part, Duration whole) {
    return BigDecimal.valueOf(amount)
        .multiply(BigDecimal.valueOf(part.toSeconds()))
        .divide(BigDecimal.valueOf(whole.toSeconds()), 0, RoundingMode.HALF_UP)
        .longValueExact();
  }

  private static String days(Duration d) {
    return BigDecimal.valueOf(d.toSeconds())
        .divide(BigDecimal.valueOf(86_400), 2, RoundingMode.HALF_UP)
        .toPlainString();
  }
}
