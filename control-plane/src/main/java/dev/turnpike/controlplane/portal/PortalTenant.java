package dev.turnpike.controlplane.portal;

import java.util.UUID;

/** A tenant as its portal shows it to anyone: slug, name and branding. */
public record PortalTenant(UUID id, String slug, String name, Branding branding) {
  /** The name the portal shows: the branded one, else the tenant's. */
  public String displayName() {
    return branding.displayName() == null ? name : branding.displayName();
  }
}
