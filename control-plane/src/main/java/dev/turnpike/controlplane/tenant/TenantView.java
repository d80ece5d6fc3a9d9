package dev.turnpike.controlplane.tenant;

import java.time.Instant;
import java.util.UUID;

/** A tenant as one member sees it, with their role in it. */
public record TenantView(
    UUID id, String slug, String name, String status, Instant createdAt, String role) {
  public static TenantView of(Tenant tenant, Role role) {
    return new TenantView(
        tenant.id(),
        tenant.slug(),
        tenant.name(),
        tenant.status(),
        tenant.createdAt(),
        role.dbValue());
  }
}
