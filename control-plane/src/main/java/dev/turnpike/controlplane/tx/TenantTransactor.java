package dev.turnpike.controlplane.tx;

import static dev.turnpike.db.Tables.TENANT_MEMBERS;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tenant.Access;
import dev.turnpike.controlplane.tenant.Role;
import dev.turnpike.controlplane.tx.impl.JooqTenantTx;
import dev.turnpike.migrations.TenantTransactions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Runs a use case in one transaction scoped to one tenant (through {@link
 * TenantTransactions#inTenant}, so row-level security admits only that tenant's rows) after
 * checking, inside the same transaction, that the caller is a member with a role that allows the
 * access. A caller who is not a member is told the tenant does not exist: whether a tenant exists
 * is not theirs to learn. Blocking: call it off the event loop.
 */
public final class TenantTransactor {
  private final DSLContext app;
  private final Stores<DSLContext> stores;
  private final Clock clock;

  public TenantTransactor(DSLContext app, Stores<DSLContext> stores, Clock clock) {
    this.app = app;
    this.stores = stores;
    this.clock = clock;
  }

  public <T> T inTenant(Caller caller, UUID tenantId, Access access, Function<TenantTx, T> work) {
    return TenantTransactions.inTenant(
        app,
        tenantId,
        configuration -> {
          DSLContext tx = DSL.using(configuration);
          String role =
              tx.select(TENANT_MEMBERS.ROLE)
                  .from(TENANT_MEMBERS)
                  .where(TENANT_MEMBERS.TENANT_ID.eq(tenantId))
                  .and(TENANT_MEMBERS.USER_ID.eq(caller.userId()))
                  .fetchOne(TENANT_MEMBERS.ROLE);
          return work.apply(open(tx, tenantId, caller, admit(role, tenantId, access)));
        });
  }

  /**
   * The rule every tenant transaction applies first, whatever database serves it.
   *
   * @param role the caller's role in the tenant as stored, null when they are not a member
   * @throws ApiFailure not found for a non-member, forbidden for a role that does not allow access
   */
  public static Role admit(String role, UUID tenantId, Access access) {
    if (role == null) {
      throw ApiFailure.notFound("Tenant " + tenantId);
    }
    Role granted = Role.fromDb(role);
    if (!granted.allows(access)) {
      throw ApiFailure.forbidden(
          "Your role in this tenant ("
              + role
              + ") does not allow this; it needs "
              + (access == Access.MANAGE_MEMBERS ? "owner" : "owner or admin"));
    }
    return granted;
  }

  /** For creating a tenant: the scope of a tenant that has no members yet. */
  public <T> T inNewTenant(Caller caller, UUID tenantId, Function<TenantTx, T> work) {
    return TenantTransactions.inTenant(
        app,
        tenantId,
        configuration -> work.apply(open(DSL.using(configuration), tenantId, caller, Role.OWNER)));
  }

  private TenantTx open(DSLContext tx, UUID tenantId, Caller caller, Role role) {
    // Microseconds, as PostgreSQL stores them, so what is returned equals what is read back.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return new JooqTenantTx(tx, tenantId, caller, role, now, stores.openOn(tx, tenantId));
  }
}
