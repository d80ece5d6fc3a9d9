package dev.turnpike.metering.standing;

import dev.turnpike.settings.SettingsReader;
import java.time.Duration;
import java.util.Objects;

/**
 * How often the standing relay looks at metering's standing outbox, and how many decisions it
 * publishes in one round. Read by {@link #read} with the service's other settings, so a bad value
 * stops metering at start naming the variable; the constructor refuses what no reader could give.
 *
 * @param pollInterval the pause after a round that found nothing to publish; decisions follow
 *     payments, a few a minute at most, so a short pause keeps suspension prompt
 * @param batchSize the most decisions one round (one transaction) publishes
 */
public record StandingRelaySettings(Duration pollInterval, int batchSize) {
  public static final StandingRelaySettings DEFAULTS =
      new StandingRelaySettings(Duration.ofMillis(200), 500);

  public StandingRelaySettings {
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("the standing relay's poll interval must be positive");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("the standing relay's batch size must be at least 1");
    }
  }

  /**
   * Reads {@code TURNPIKE_METERING_STANDING_POLL_MS} [200] (10 to 60,000) and {@code
   * TURNPIKE_METERING_STANDING_BATCH_SIZE} [500] (1 to 10,000); problems are reported through
   * {@code read}, naming the variable.
   */
  public static StandingRelaySettings read(SettingsReader read) {
    return new StandingRelaySettings(
        read.millis(
            "TURNPIKE_METERING_STANDING_POLL_MS", DEFAULTS.pollInterval().toMillis(), 10, 60_000),
        read.integer("TURNPIKE_METERING_STANDING_BATCH_SIZE", DEFAULTS.batchSize(), 1, 10_000));
  }
}
