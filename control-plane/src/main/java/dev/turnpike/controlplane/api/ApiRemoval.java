package dev.turnpike.controlplane.api;

import dev.turnpike.controlplane.tx.TenantTx;
import java.util.UUID;

/**
 * What must happen, in the same transaction, before an API's rows go: its deployed stages leave the
 * gateway and plans bound to them are republished. The deployment feature implements it.
 */
@FunctionalInterface
public interface ApiRemoval {
  /**
   * @return work to run after the API's rows are deleted
   */
  Runnable beforeDelete(TenantTx tx, UUID apiId);
}
