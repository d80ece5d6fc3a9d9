package dev.turnpike.gateway.runtime;

import java.util.Set;

/**
 * The tenants a node serves: all of them (a shared pool) or a chosen few (a dedicated pool, so a
 * tenant's traffic and config stay on its own nodes). A dedicated node neither keeps nor serves
 * another tenant's deployments, keys or plans.
 */
public record TenantScope(Set<String> tenantIds) {
  private static final TenantScope ALL = new TenantScope(null);

  public TenantScope {
    tenantIds = tenantIds == null ? null : Set.copyOf(tenantIds);
  }

  public static TenantScope all() {
    return ALL;
  }

  public static TenantScope only(Set<String> tenantIds) {
    if (tenantIds.isEmpty()) {
      throw new IllegalArgumentException("a dedicated node serves at least one tenant");
    }
    return new TenantScope(tenantIds);
  }

  public boolean serves(String tenantId) {
    return tenantIds == null || tenantIds.contains(tenantId);
  }

  public boolean isShared() {
    return tenantIds == null;
  }

  @Override
  public String toString() {
    return isShared() ? "all tenants" : "tenants " + tenantIds;
  }
}
