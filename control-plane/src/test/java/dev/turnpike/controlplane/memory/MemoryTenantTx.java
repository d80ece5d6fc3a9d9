package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.tenant.Role;
import dev.turnpike.controlplane.tx.OpenStores;
import dev.turnpike.controlplane.tx.ScopedTenantTx;
import dev.turnpike.controlplane.tx.TenantTx;
import java.time.Instant;
import java.util.UUID;

/**
 * A {@link TenantTx} over one in-memory transaction: its stores, audit trail and outbox all write
 * to the same working copy, which commits or is dropped as a whole.
 */
public final class MemoryTenantTx extends ScopedTenantTx {
  MemoryTenantTx(
      MemoryDb.Tx tx, UUID tenantId, Caller caller, Role role, Instant now, OpenStores stores) {
    super(
        tenantId,
        caller,
        role,
        now,
        stores,
        new MemoryAudit(tx, tenantId, caller, now),
        new MemoryOutbox(tx, tenantId));
  }
}
