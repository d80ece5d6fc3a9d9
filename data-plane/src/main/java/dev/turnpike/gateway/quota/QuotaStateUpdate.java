package dev.turnpike.gateway.quota;

import dev.turnpike.contracts.config.QuotaWindow;
import java.util.Objects;

/**
 * Metering's authoritative count for one key in one quota window, as it reaches a gateway node.
 *
 * @param keyId what the quota counts for (an API key id, or key and plan when a key is in several
 *     plans)
 * @param window the quota window the count belongs to
 * @param used requests metering has counted in the window, from every node
 * @param exceeded whether metering has found the quota exhausted in the window
 */
public record QuotaStateUpdate(String keyId, QuotaWindow window, long used, boolean exceeded) {

  public QuotaStateUpdate {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(window, "window");
    if (used < 0) {
      throw new IllegalArgumentException("Used count must be >= 0, got " + used);
    }
  }
}
