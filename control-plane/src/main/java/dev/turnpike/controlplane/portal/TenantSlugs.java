package dev.turnpike.controlplane.portal;

import java.util.Optional;
import java.util.UUID;

/**
 * Finds an active tenant by its slug, across tenants: the one lookup a portal needs before it knows
 * which tenant's scope to open. Blocking.
 */
public interface TenantSlugs {
  Optional<UUID> activeTenant(String slug);
}
