package dev.turnpike.controlplane.tx.impl;

import dev.turnpike.controlplane.audit.impl.JooqAuditTrail;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.outbox.impl.JooqOutbox;
import dev.turnpike.controlplane.tenant.Role;
import dev.turnpike.controlplane.tx.OpenStores;
import dev.turnpike.controlplane.tx.ScopedTenantTx;
import dev.turnpike.controlplane.tx.TenantTx;
import java.time.Instant;
import java.util.UUID;
import org.jooq.DSLContext;

/** A {@link TenantTx} over one jOOQ transaction: audit rows and outbox rows in PostgreSQL. */
public final class JooqTenantTx extends ScopedTenantTx {
  public JooqTenantTx(
      DSLContext tx, UUID tenantId, Caller caller, Role role, Instant now, OpenStores stores) {
    super(
        tenantId,
        caller,
        role,
        now,
        stores,
        new JooqAuditTrail(tx, tenantId, caller, now),
        new JooqOutbox(tx, tenantId));
  }
}
