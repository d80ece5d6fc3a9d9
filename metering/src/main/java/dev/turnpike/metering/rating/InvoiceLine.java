package dev.turnpike.metering.rating;

/**
 * One line of a rated invoice.
 *
 * @param unitPriceMicros the undiscounted price of one unit; for a prorated fee the full fee, so
 *     the line shows what was prorated
 */
public record InvoiceLine(
    String description, long quantity, long unitPriceMicros, long amountCents) {
  public InvoiceLine {
    if (quantity < 0 || unitPriceMicros < 0 || amountCents < 0) {
      throw new IllegalArgumentException("invoice lines are never negative");
    }
  }
}
