package dev.turnpike.controlplane.tx;

import dev.turnpike.controlplane.audit.AuditTrail;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.outbox.ConfigPublisher;
import dev.turnpike.controlplane.tenant.Role;
import java.time.Instant;
import java.util.UUID;

/**
 * One transaction in one tenant's scope, as a use case sees it: who is acting, the ports to the
 * tenant's data, the audit trail and the config outbox. Everything done through it commits together
 * or not at all.
 */
public interface TenantTx {
  UUID tenantId();

  Caller caller();

  Role role();

  /** The transaction's clock reading, so one change stamps one time everywhere. */
  Instant now();

  /**
   * The stores this transaction has opened; use cases reach them through their {@link TxStore}s.
   */
  OpenStores openStores();

  AuditTrail audit();

  ConfigPublisher config();
}
