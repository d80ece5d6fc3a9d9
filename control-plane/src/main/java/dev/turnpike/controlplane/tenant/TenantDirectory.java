package dev.turnpike.controlplane.tenant;

import java.util.List;
import java.util.UUID;

/** The tenants one user belongs to, across tenants. Blocking. */
public interface TenantDirectory {
  List<TenantView> tenantsOf(UUID userId);
}
