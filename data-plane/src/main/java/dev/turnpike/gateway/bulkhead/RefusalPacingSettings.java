package dev.turnpike.gateway.bulkhead;

import dev.turnpike.settings.SettingsReader;

/**
 * How fast a node answers one tenant's refusals (see {@link RefusalPacing}).
 *
 * @param perSecond how many of one tenant's refusals a second this node answers, after a burst of
 *     as many at once ({@code TURNPIKE_GATEWAY_TENANT_REFUSALS_PER_SECOND}); 0 turns pacing off
 * @param maxHeld the most of one tenant's refusals held at once ({@code
 *     TURNPIKE_GATEWAY_TENANT_MAX_HELD_REFUSALS}); more are answered at once, so a tenant cannot
 *     make the node keep an unbounded number of answers waiting
 */
public record RefusalPacingSettings(int perSecond, int maxHeld) {
  /**
   * A node's defaults. 1,000 refusals a second is about 2% of a core (each costs ~20 us): a tenant
   * under it is never slowed, one over it can no longer have the node answer as fast as it asks.
   */
  public static final RefusalPacingSettings DEFAULTS = new RefusalPacingSettings(1_000, 10_000);

  /** Every refusal answered at once, as before pacing existed. */
  public static final RefusalPacingSettings OFF = new RefusalPacingSettings(0, 1);

  public RefusalPacingSettings {
    if (perSecond < 0 || maxHeld < 1) {
      throw new IllegalArgumentException(
          "refusal pacing needs a rate of 0 or more and room for at least one held refusal");
    }
  }

  public boolean enabled() {
    return perSecond > 0;
  }

  public static RefusalPacingSettings read(SettingsReader read) {
    return new RefusalPacingSettings(
        read.integer(
            "TURNPIKE_GATEWAY_TENANT_REFUSALS_PER_SECOND", DEFAULTS.perSecond, 0, 10_000_000),
        read.integer("TURNPIKE_GATEWAY_TENANT_MAX_HELD_REFUSALS", DEFAULTS.maxHeld, 1, 1_000_000));
  }
}
