package dev.turnpike.controlplane.standing;

import java.time.Instant;
import java.util.UUID;

/** The billing standing the control plane last applied per app, within one tenant's transaction. */
public interface StandingStore {
  /** The revision of the last decision applied to the app; 0 when none was. */
  long appliedRevision(UUID appId);

  /** Records the decision as the one applied to the app now. */
  void save(UUID appId, String standing, long revision, Instant decidedAt, Instant appliedAt);
}
