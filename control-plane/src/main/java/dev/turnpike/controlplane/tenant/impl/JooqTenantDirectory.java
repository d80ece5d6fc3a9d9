package dev.turnpike.controlplane.tenant.impl;

import static dev.turnpike.db.Tables.TENANTS;
import static dev.turnpike.db.Tables.TENANT_MEMBERS;

import dev.turnpike.controlplane.tenant.Role;
import dev.turnpike.controlplane.tenant.TenantDirectory;
import dev.turnpike.controlplane.tenant.TenantView;
import dev.turnpike.migrations.TenantTransactions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Finds a user's tenants as the application role: the memberships in the user's own scope (the only
 * cross-tenant rows row-level security shows the application), then each tenant in its own scope.
 */
public final class JooqTenantDirectory implements TenantDirectory {
  private final DSLContext app;

  public JooqTenantDirectory(DSLContext app) {
    this.app = app;
  }

  @Override
  public List<TenantView> tenantsOf(UUID userId) {
    var memberships =
        TenantTransactions.asUser(
            app,
            userId,
            c ->
                DSL.using(c)
                    .select(TENANT_MEMBERS.TENANT_ID, TENANT_MEMBERS.ROLE)
                    .from(TENANT_MEMBERS)
                    .where(TENANT_MEMBERS.USER_ID.eq(userId))
                    .orderBy(TENANT_MEMBERS.CREATED_AT)
                    .fetch());
    List<TenantView> tenants = new ArrayList<>();
    for (var membership : memberships) {
      UUID tenantId = membership.value1();
      TenantTransactions.inTenant(
              app,
              tenantId,
              c -> DSL.using(c).selectFrom(TENANTS).where(TENANTS.ID.eq(tenantId)).fetchOptional())
          .ifPresent(
              t ->
                  tenants.add(
                      new TenantView(
                          t.getId(),
                          t.getSlug(),
                          t.getName(),
                          t.getStatus(),
                          t.getCreatedAt().toInstant(),
                          Role.fromDb(membership.value2()).dbValue())));
    }
    return tenants;
  }
}
