package dev.turnpike.metering.rating;

import java.util.List;

/** What {@link Rater} makes of a period: the lines and their total, in one currency. */
public record RatedInvoice(String currency, List<InvoiceLine> lines) {
  public RatedInvoice {
    lines = List.copyOf(lines);
  }

  public long totalCents() {
    return lines.stream().mapToLong(InvoiceLine::amountCents).sum();
  }
}
