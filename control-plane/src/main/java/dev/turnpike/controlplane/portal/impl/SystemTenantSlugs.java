package dev.turnpike.controlplane.portal.impl;

import static dev.turnpike.db.Tables.TENANTS;

import dev.turnpike.controlplane.portal.TenantSlugs;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * {@link TenantSlugs} through the cross-tenant login: row-level security hides every tenant row
 * outside its own scope, and a portal learns its tenant from the slug before it has a scope. It
 * reads the id of an active tenant and nothing else.
 */
public final class SystemTenantSlugs implements TenantSlugs {
  private final DSLContext system;

  public SystemTenantSlugs(DSLContext system) {
    this.system = system;
  }

  @Override
  public Optional<UUID> activeTenant(String slug) {
    return system
        .select(TENANTS.ID)
        .from(TENANTS)
        .where(TENANTS.SLUG.eq(slug), TENANTS.STATUS.eq("active"))
        .fetchOptional(TENANTS.ID);
  }
}
