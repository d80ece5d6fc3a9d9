package dev.turnpike.metering.rating;

/**
 * What an app did on a plan in a stretch of time, as far as plans price it.
 *
 * @param requests calls answered with neither a 4xx nor a 5xx (WebSocket messages among them)
 * @param messages WebSocket messages answered below 400
 * @param connectionMillis how long the WebSocket connections that closed in it were open
 */
public record BillableUsage(long requests, long messages, long connectionMillis) {
  public static final BillableUsage NONE = new BillableUsage(0, 0, 0);

  public BillableUsage {
    if (requests < 0 || messages < 0 || connectionMillis < 0) {
      throw new IllegalArgumentException("usage is never negative");
    }
  }

  /** Connection minutes, the open time rounded up to a whole minute (any part is billed). */
  public long connectionMinutes() {
    return connectionMillis / 60_000 + (connectionMillis % 60_000 == 0 ? 0 : 1);
  }
}
