package dev.turnpike.controlplane.portal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** What the portal reads and writes beyond other features' ports, in one tenant-scoped tx. */
public interface PortalStore {
  /** An invoice of one of a developer's apps. */
  record Invoice(
      UUID id,
      UUID appId,
      UUID subscriptionId,
      Instant periodStart,
      Instant periodEnd,
      String currency,
      long totalCents,
      String status,
      Instant createdAt,
      List<InvoiceLine> lines) {
    public Invoice {
      lines = List.copyOf(lines);
    }
  }

  record InvoiceLine(
      int index, String description, long quantity, long unitPriceMicros, long amountCents) {}

  Optional<PortalTenant> tenant();

  void saveBranding(Branding branding);

  Optional<Developer> developer(UUID userId);

  List<Developer> developers();

  void insertDeveloper(Developer developer);

  void updateDeveloper(Developer developer);

  /** The plans the owner hid from the portal. */
  Set<UUID> hiddenPlans();

  /**
   * @return false when there is no such plan
   */
  boolean setPlanVisible(UUID planId, boolean visible);

  /** The ids of the apps the user owns in this tenant, deleted ones included. */
  Set<UUID> appsOwnedBy(UUID userId);

  /** Invoices of the apps, newest first, with their lines. */
  List<Invoice> invoices(Collection<UUID> appIds);
}
