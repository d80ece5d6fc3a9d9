package dev.turnpike.controlplane.tx.impl;

import dev.turnpike.controlplane.audit.AuditTrail;
import dev.turnpike.controlplane.audit.impl.JooqAuditTrail;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.outbox.ConfigPublisher;
import dev.turnpike.controlplane.outbox.impl.JooqOutbox;
import dev.turnpike.controlplane.tenant.Role;
import dev.turnpike.controlplane.tx.OpenStores;
import dev.turnpike.controlplane.tx.TenantTx;
import java.time.Instant;
import java.util.UUID;
import org.jooq.DSLContext;

/** A {@link TenantTx} over one jOOQ transaction. */
public final class JooqTenantTx implements TenantTx {
  private final UUID tenantId;
  private final Caller caller;
  private final Role role;
  private final Instant now;
  private final OpenStores stores;
  private final AuditTrail audit;
  private final ConfigPublisher config;

  public JooqTenantTx(
      DSLContext tx, UUID tenantId, Caller caller, Role role, Instant now, OpenStores stores) {
    this.tenantId = tenantId;
    this.caller = caller;
    this.role = role;
    this.now = now;
    this.stores = stores;
    this.audit = new JooqAuditTrail(tx, tenantId, caller, now);
    this.config = new ConfigPublisher(new JooqOutbox(tx, tenantId));
  }

  @Override
  public UUID tenantId() {
    return tenantId;
  }

  @Override
  public Caller caller() {
    return caller;
  }

  @Override
  public Role role() {
    return role;
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public OpenStores openStores() {
    return stores;
  }

  @Override
  public AuditTrail audit() {
    return audit;
  }

  @Override
  public ConfigPublisher config() {
    return config;
  }
}
