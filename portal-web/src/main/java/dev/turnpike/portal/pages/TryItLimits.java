package dev.turnpike.portal.pages;

import java.time.Duration;

/**
 * What the try-it panel may spend on one developer: it is a way to reach the gateway from the
 * portal's own process, so its calls are bounded in size, time and number.
 *
 * @param maxBodyBytes how much of a response body is read and shown; the rest is never read
 * @param timeout how long one call may take, from connecting to the last byte read
 * @param callsPerMinute calls one session may make per minute
 */
public record TryItLimits(int maxBodyBytes, Duration timeout, int callsPerMinute) {
  public TryItLimits {
    if (maxBodyBytes < 1 || callsPerMinute < 1 || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("try-it limits must be positive");
    }
  }
}
