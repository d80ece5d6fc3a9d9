package dev.turnpike.controlplane.tx;

import dev.turnpike.controlplane.audit.AuditTrail;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.outbox.ConfigPublisher;
import dev.turnpike.controlplane.outbox.Outbox;
import dev.turnpike.controlplane.tenant.Role;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What every {@link TenantTx} keeps whatever stores its data: who acts, in which tenant and role,
 * at which clock reading, with which opened stores, and the config publisher over its outbox. A
 * storage (PostgreSQL through jOOQ, the in-memory fakes of the tests) gives only its audit trail
 * and outbox, both writing through the same transaction, so the bookkeeping rules live here once.
 */
public abstract class ScopedTenantTx implements TenantTx {
  private final UUID tenantId;
  private final Caller caller;
  private final Role role;
  private final Instant now;
  private final OpenStores stores;
  private final AuditTrail audit;
  private final ConfigPublisher config;

  protected ScopedTenantTx(
      UUID tenantId,
      Caller caller,
      Role role,
      Instant now,
      OpenStores stores,
      AuditTrail audit,
      Outbox outbox) {
    this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
    this.caller = Objects.requireNonNull(caller, "caller");
    this.role = Objects.requireNonNull(role, "role");
    this.now = Objects.requireNonNull(now, "now");
    this.stores = Objects.requireNonNull(stores, "stores");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.config = new ConfigPublisher(Objects.requireNonNull(outbox, "outbox"));
  }

  @Override
  public final UUID tenantId() {
    return tenantId;
  }

  @Override
  public final Caller caller() {
    return caller;
  }

  @Override
  public final Role role() {
    return role;
  }

  @Override
  public final Instant now() {
    return now;
  }

  @Override
  public final OpenStores openStores() {
    return stores;
  }

  @Override
  public final AuditTrail audit() {
    return audit;
  }

  @Override
  public final ConfigPublisher config() {
    return config;
  }
}
